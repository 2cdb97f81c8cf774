"""Requests for help (referrals): who asked, for which child, why, and where each one is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.areas.models import AreaStatus
from sapling.children.models import Child, KeepsChildLocality
from sapling.core.models import VersionedModel


class Source(models.TextChoices):
    PARENT = "parent", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("Young person")
    SCHOOL = "school", _("School")
    EARLY_YEARS = "early_years", _("Early years setting")
    GP = "gp", _("GP")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    PAEDIATRICIAN = "paediatrician", _("Paediatrician")
    CAMHS = "camhs", _("CAMHS")
    SOCIAL_CARE = "social_care", _("Social care")
    OTHER = "other", _("Other")


class Route(models.TextChoices):
    """How the request reached the service."""

    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    E_REFERRAL = "e_referral", _("E-referral")
    PARTNER_FORM = "partner_form", _("School or early years form")
    PUBLIC_FORM = "public_form", _("Request for help form")


class OccupationalArea(models.TextChoices):
    SELF_CARE = "self_care", _("Self-care (dressing, eating, toileting)")
    PLAY = "play", _("Play")
    SCHOOL_WORK = "school_work", _("School work")
    HANDWRITING = "handwriting", _("Handwriting")
    MOVEMENT = "movement", _("Movement and coordination")
    SENSORY = "sensory", _("Sensory")
    EMOTIONAL_REGULATION = "emotional_regulation", _("Managing feelings and behaviour")
    ATTENDING_SCHOOL = "attending_school", _("Going to school")


class Setting(models.TextChoices):
    HOME = "home", _("Home")
    EARLY_YEARS = "early_years", _("Early years setting")
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College")


class ConsentBy(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person (16 or over)")
    PARENTAL_RESPONSIBILITY = "parental_responsibility", _("A person with parental responsibility")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNIVERSAL = "universal", _("Signposted to universal support")
    WAITING = "waiting", _("Waiting")
    DECLINED = "declined", _("Declined")
    REDIRECTED = "redirected", _("Redirected to another service")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_team(self, team: Team) -> ReferralQuerySet:
        return self.filter(team=team)

    def awaiting_triage(self) -> ReferralQuerySet:
        return self.filter(status=Status.RECEIVED)


class Referral(KeepsChildLocality, VersionedModel):
    # No index of its own: the (team, ...) indexes below start with it.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=12, unique=True)
    route = models.CharField(_("how it arrived"), max_length=20, choices=Route.choices)
    source = models.CharField(_("who referred"), max_length=20, choices=Source.choices)
    received_on = models.DateField(_("date received"))
    reasons = models.JSONField(_("what the child finds hard"), default=list)
    description = models.TextField(_("in their words"), max_length=5000, blank=True)
    setting = models.CharField(_("where"), max_length=20, choices=Setting.choices, blank=True)
    others_involved = models.TextField(_("who else is involved"), max_length=2000, blank=True)
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    referrer_role = models.CharField(_("referrer's role"), max_length=200, blank=True)
    referrer_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    referrer_email = models.EmailField(_("referrer's email"), blank=True)
    referrer_phone = models.CharField(_("referrer's phone"), max_length=30, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        help_text="The partner or staff member who entered it; none for the public form.",
    )
    consent_by = models.CharField(max_length=30, choices=ConsentBy.choices, blank=True)
    consent_given = models.BooleanField(default=False)
    contact_preference = models.CharField(max_length=20, blank=True)
    # The school or setting as the referrer named it (the public form cannot pick from a list).
    school_name = models.CharField(_("school or setting named"), max_length=200, blank=True)
    # A competent younger child's own views and consent, recorded by a clinician.
    child_views = models.TextField(_("the child's own views"), max_length=5000, blank=True)
    child_consent = models.BooleanField(_("the child's own consent recorded"), default=False)
    child_views_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_views_recorded_at = models.DateTimeField(null=True, blank=True)
    # The child's area when the referral arrived, so a later move never rewrites history.
    postcode = models.CharField(max_length=8, blank=True)
    area_status = models.CharField(
        max_length=20, choices=AreaStatus.choices, default=AreaStatus.NO_POSTCODE
    )
    lsoa_code = models.CharField(max_length=9, blank=True)
    deprivation_index = models.CharField(max_length=20, blank=True)
    deprivation_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    deprivation_quintile = models.PositiveSmallIntegerField(null=True, blank=True)
    needs_duplicate_review = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    closed_reason = models.CharField(max_length=500, blank=True)
    # The public form's one-time key: a resubmission finds the referral it already made.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "status"]),
            # The referrals received in a report's period.
            models.Index(fields=["team", "received_on"]),
            # The same, filtered to one locality (KeepsChildLocality).
            models.Index(fields=["team", "child_locality", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class ReferralEvent(models.Model):
    """One move in a referral's life: from which status to which, by whom, why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_status} → {self.to_status}"
