"""Consultation after training: slots clinicians publish, bookings, and the advice given.

A slot is a time an OT keeps free to advise someone who attended universal training (a
teacher, an early-years worker, a parent). One slot holds at most one consultation; the
OT records what advice they gave and whether a referral was avoided, made, or already in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.models import VersionedModel


class Mode(models.TextChoices):
    ONLINE = "online", _("Online (video call)")
    PHONE = "phone", _("Phone call")


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Available")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SlotQuerySet(models.QuerySet["Slot"]):
    def for_team(self, team: Team) -> SlotQuerySet:
        return self.filter(team=team)

    def bookable(self, now: dt.datetime) -> SlotQuerySet:
        """Open slots that have not started yet, soonest first."""
        return self.filter(status=SlotStatus.OPEN, starts_at__gt=now).order_by("starts_at", "pk")

    def live(self) -> SlotQuerySet:
        """Slots still on offer or booked: the ones a new slot must not overlap."""
        return self.exclude(status=SlotStatus.WITHDRAWN)


class Slot(VersionedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultation_slots")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_slots",
        verbose_name=_("clinician"),
    )
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    meeting_link = models.URLField(_("meeting link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SlotStatus.choices, default=SlotStatus.OPEN
    )
    withdrawn_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=240),
                name="consultation_slot_length_is_sensible",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="online") | models.Q(meeting_link__startswith="https://"),
                name="online_consultation_slot_has_an_https_link",
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation slot {self.pk}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


class ConsultationStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Did not take place")


class ReferralOutcome(models.TextChoices):
    AVOIDED = "avoided", _("Referral avoided: the advice is enough for now")
    MADE = "made", _("Referral made")
    ALREADY = "already", _("Already referred before the consultation")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def for_team(self, team: Team) -> ConsultationQuerySet:
        return self.filter(team=team)


class Consultation(VersionedModel):
    """One booking of one slot by someone who attended universal training.

    The person is either a partner with an account (`user`) or a participant with no
    account, who booked through the secure link sent after they attended (`enrolment`).
    Their name and contact details are copied here as they gave them when booking.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultations")
    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="consultation")
    enrolment = models.ForeignKey(
        "groups.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        help_text="The universal training attended that made them eligible.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations_booked",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    setting = models.CharField(_("school or setting"), max_length=200, blank=True)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    question = models.TextField(_("what they would like to ask"), max_length=2000)
    booked_at = models.DateTimeField()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.BOOKED,
    )
    advice = models.TextField(_("advice given"), max_length=5000, blank=True)
    referral = models.CharField(
        _("referral"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    not_held_reason = models.CharField(_("why it did not take place"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(enrolment__isnull=False),
                name="consultation_booked_by_a_partner_or_an_attendee",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | ~models.Q(referral=""),
                name="held_consultation_records_the_referral_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation {self.pk}"
