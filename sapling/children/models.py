"""Children, the adults who care for them, their schools and their GP practices."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Locality, Team, User
from sapling.areas.models import AreaStatus
from sapling.core.models import KeepsDerivedFields, TimestampedModel, VersionedModel


class GPCluster(TimestampedModel):
    """A group of GP practices (Wales) that can fund services and receive reports."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="gp_clusters")
    name = models.CharField(_("cluster name"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="unique_cluster_per_team")
        ]

    def __str__(self) -> str:
        return self.name


class GPPractice(TimestampedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="gp_practices")
    ods_code = models.CharField(_("NHS organisation code"), max_length=10)
    name = models.CharField(_("practice name"), max_length=200)
    cluster = models.ForeignKey(
        GPCluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("GP cluster"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "ods_code"], name="unique_practice_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class SchoolType(models.TextChoices):
    EARLY_YEARS = "early_years", _("Nursery or early years setting")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    ALL_THROUGH = "all_through", _("All-through school")
    SPECIAL = "special", _("Special school")
    PUPIL_REFERRAL = "pupil_referral", _("Pupil referral unit")
    INDEPENDENT = "independent", _("Independent school")
    COLLEGE = "college", _("Further education college")


class School(TimestampedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    school_number = models.CharField(
        _("official school number"),
        max_length=20,
        help_text=_("URN in England, or LA and establishment number in Wales"),
    )
    local_authority = models.CharField(_("local authority"), max_length=100)
    school_type = models.CharField(_("type"), max_length=20, choices=SchoolType.choices)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "school_number"], name="unique_school_per_team")
        ]

    def __str__(self) -> str:
        return self.name


class EducationSetting(models.TextChoices):
    HOME = "home", _("At home, not in a setting")
    EARLY_YEARS = "early_years", _("Early years setting")
    MAINSTREAM_SCHOOL = "mainstream_school", _("Mainstream school")
    SPECIAL_SCHOOL = "special_school", _("Special school")
    COLLEGE = "college", _("College or university")
    ELECTIVE_HOME_EDUCATION = "elective_home_education", _("Educated at home")
    NOT_IN_EDUCATION = "not_in_education", _("Not in education")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class ChildQuerySet(models.QuerySet["Child"]):
    def for_team(self, team: Team) -> ChildQuerySet:
        return self.filter(team=team)

    def current(self) -> ChildQuerySet:
        """Records still in use: not merged into another."""
        return self.filter(merged_into__isnull=True)

    def search(self, text: str = "", date_of_birth: dt.date | None = None) -> ChildQuerySet:
        found = self
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) == 10 and len(digits) >= len(text.replace(" ", "")) - 2:
            found = found.filter(nhs_number=digits)
        elif text:
            for word in text.split():
                found = found.filter(
                    Q(given_name__icontains=word)
                    | Q(family_name__icontains=word)
                    | Q(preferred_name__icontains=word)
                )
        if date_of_birth:
            found = found.filter(date_of_birth=date_of_birth)
        return found


class Child(VersionedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children")
    given_name = models.CharField(_("first name"), max_length=100)
    family_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("locality")
    )

    # Looked up once when the postcode is saved, so reports never join on postcodes.
    area_status = models.CharField(
        max_length=20, choices=AreaStatus.choices, default=AreaStatus.NO_POSTCODE
    )
    lsoa_code = models.CharField(max_length=9, blank=True)
    deprivation_index = models.CharField(max_length=20, blank=True)
    deprivation_rank = models.PositiveIntegerField(null=True, blank=True)
    deprivation_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    deprivation_quintile = models.PositiveSmallIntegerField(null=True, blank=True)

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("school")
    )
    education_setting = models.CharField(
        _("education setting"), max_length=30, choices=EducationSetting.choices, blank=True
    )
    additional_learning_needs = models.CharField(
        _("additional learning needs"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    care_experienced = models.CharField(
        _("care experienced"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    free_school_meals = models.CharField(
        _("free school meals"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    ethnicity_code = models.CharField(_("ethnicity"), max_length=10, blank=True)
    ethnicity_system = models.CharField(max_length=100, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=50, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    digital_access_needs = models.CharField(_("digital access needs"), max_length=500, blank=True)
    safeguarding_flag = models.BooleanField(_("safeguarding concern"), default=False)
    gp_practice = models.ForeignKey(
        GPPractice, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("GP practice")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A duplicate record merged into another is kept, closed, pointing at the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["team", "family_name"]),
            models.Index(fields=["team", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class KeepsChildLocality(KeepsDerivedFields):
    """A record about a child that carries a copy of the child's locality, so that a report
    filtered to one locality reads that locality's records without joining every child
    (decision 005). Stamped when the record is created; sapling/children/localities.py
    stamps a child's records again when their locality changes or their record is merged.
    """

    child_locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        # Read alongside a team and a date; an index of its own would only tempt the
        # planner to read a locality's whole history.
        db_index=False,
        verbose_name=_("child's locality"),
    )

    derived_fields: ClassVar[tuple[str, ...]] = ("child_locality",)
    # The lookup from this record to its child ("child", or "episode__child").
    child_path: ClassVar[str] = "child"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.child_locality_id = self._child_locality_id()
        super().save(*args, **kwargs)

    def _child_locality_id(self) -> int | None:
        # Read from the database, not from the child object in hand, which may be stale.
        first, _, rest = self.child_path.partition("__")
        first_id = getattr(self, f"{first}_id")
        if first_id is None:  # a group place or feedback with no child record
            return None
        parent = self._meta.get_field(first).related_model
        lookup = f"{rest}__locality_id" if rest else "locality_id"
        found = parent._default_manager.filter(pk=first_id).values_list(lookup, flat=True)  # type: ignore[union-attr]
        return found.first()


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEP_PARENT = "step_parent", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    KINSHIP_CARER = "kinship_carer", _("Kinship carer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")


class ContactRestriction(models.TextChoices):
    NONE = "none", _("No restriction")
    DO_NOT_CONTACT = "do_not_contact", _("Do not contact")
    NO_INFORMATION = "no_information", _("Must not receive information about the child")


class CarerQuerySet(models.QuerySet["Carer"]):
    def contactable(self) -> CarerQuerySet:
        """The carers every letter, message and link may go to."""
        return self.filter(consent_to_contact=True, contact_restriction=ContactRestriction.NONE)


class Carer(VersionedModel):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="carers")
    given_name = models.CharField(_("first name"), max_length=100)
    family_name = models.CharField(_("last name"), max_length=100)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(_("has parental responsibility"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    preferred_channel = models.CharField(
        _("preferred way to be contacted"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.EMAIL,
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=True)
    contact_restriction = models.CharField(
        _("contact restriction"),
        max_length=20,
        choices=ContactRestriction.choices,
        default=ContactRestriction.NONE,
    )
    restriction_reason = models.CharField(
        _("reason for the restriction"), max_length=500, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CarerQuerySet.as_manager()

    class Meta:
        ordering = ["-parental_responsibility", "family_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.get_relationship_display()})"

    @property
    def may_be_contacted(self) -> bool:
        return self.consent_to_contact and self.contact_restriction == ContactRestriction.NONE


# --- Safeguarding, statutory advice and what a school may see (issue 6) -----------------


class SafeguardingSettings(models.Model):
    """Who the team's designated safeguarding lead is: concerns are escalated to them."""

    team = models.OneToOneField(
        Team, on_delete=models.PROTECT, related_name="safeguarding_settings"
    )
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("safeguarding lead"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Safeguarding settings for {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> SafeguardingSettings:
        """The team's settings, or empty ones (unsaved) if no lead was ever named."""
        return cls.objects.filter(team=team).select_related("safeguarding_lead").first() or cls(
            team=team
        )


class ConcernQuerySet(models.QuerySet["SafeguardingConcern"]):
    def for_team(self, team: Team) -> ConcernQuerySet:
        return self.filter(team=team)

    def open(self) -> ConcernQuerySet:
        return self.filter(closed_on__isnull=True)


class SafeguardingConcern(VersionedModel):
    """A worry about a child's safety: what, who was told and when, and how it ended."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="safeguarding_concerns")
    concern = models.TextField(_("what the concern is"), max_length=5000)
    noticed_on = models.DateField(_("date of the concern"))
    who_was_told = models.CharField(_("who was told"), max_length=500)
    told_on = models.DateField(_("date they were told"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation_note = models.TextField(
        _("what the lead needs to know"), max_length=2000, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=5000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-noticed_on", "-pk"]
        indexes = [models.Index(fields=["team", "closed_on"])]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk} about {self.child}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class AdviceKind(models.TextChoices):
    EHC_NEEDS_ASSESSMENT = "ehc", _("Education, Health and Care needs assessment (England)")
    ADDITIONAL_LEARNING_NEEDS = "aln", _("Additional Learning Needs (Wales)")


class AdviceQuerySet(models.QuerySet["StatutoryAdviceRequest"]):
    def for_team(self, team: Team) -> AdviceQuerySet:
        return self.filter(team=team)

    def outstanding(self) -> AdviceQuerySet:
        """Still to be written: neither submitted nor withdrawn."""
        return self.filter(submitted_on__isnull=True, withdrawn_on__isnull=True)

    def coming_due(self, today: dt.date, within: dt.timedelta) -> AdviceQuerySet:
        """Outstanding and due within `within` of today, or overdue."""
        return self.outstanding().filter(due_on__lte=today + within)


class StatutoryAdviceRequest(VersionedModel):
    """A local authority asks the service for its advice on a child's education needs."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="statutory_advice_requests"
    )
    kind = models.CharField(max_length=10, choices=AdviceKind.choices)
    requested_by = models.CharField(_("who asked"), max_length=200)
    reference = models.CharField(_("their reference"), max_length=50, blank=True)
    received_on = models.DateField(_("date the request was received"))
    due_on = models.DateField(_("advice due"))
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who is writing it"),
    )
    submitted_on = models.DateField(_("date the advice was sent"), null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AdviceQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["team", "submitted_on", "due_on"])]

    def __str__(self) -> str:
        return f"Statutory advice for {self.child} due {self.due_on}"

    @property
    def is_outstanding(self) -> bool:
        return self.submitted_on is None and self.withdrawn_on is None


class PartnerSchoolQuerySet(models.QuerySet["PartnerSchool"]):
    def current(self) -> PartnerSchoolQuerySet:
        return self.filter(ended_at__isnull=True)


class PartnerSchool(models.Model):
    """A partner account works at this school or setting, as the team's lead recorded it.

    The one link between a partner and the children whose school summaries they may read.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_schools"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partners")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartnerSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "school"],
                condition=Q(ended_at__isnull=True),
                name="one_current_link_per_partner_and_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} at {self.school}"


class ConsentGiver(models.TextChoices):
    CARER = "carer", _("A parent or carer with parental responsibility")
    YOUNG_PERSON = "young_person", _("The young person")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("On the phone")
    VIDEO = "video", _("On a video call")
    WRITING = "writing", _("In writing (letter, email or form)")


class SharingConsentQuerySet(models.QuerySet["SharingConsent"]):
    def current(self) -> SharingConsentQuerySet:
        """Not withdrawn, and (if a carer gave it) the carer still has parental responsibility."""
        return self.filter(withdrawn_on__isnull=True).filter(
            Q(given_by=ConsentGiver.YOUNG_PERSON) | Q(carer__parental_responsibility=True)
        )


class SharingConsent(VersionedModel):
    """Agreement that the service may share a summary with the child's school or setting."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="sharing_consents")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField(_("who gave consent"), max_length=20, choices=ConsentGiver.choices)
    carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_consents"
    )
    given_on = models.DateField(_("date consent was given"))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    competence_note = models.TextField(
        _("how you judged the young person able to decide"), max_length=2000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="young_person", carer__isnull=True)
                | Q(given_by="carer", carer__isnull=False),
                name="sharing_consent_names_the_carer_who_gave_it",
            )
        ]

    def __str__(self) -> str:
        return f"Consent to share with {self.school} for {self.child}"

    @property
    def giver_name(self) -> str:
        if self.carer is not None:
            return f"{self.carer.given_name} {self.carer.family_name}"
        return self.child.full_name


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RELEASED = "released", _("Shared with the school")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SchoolSummaryQuerySet(models.QuerySet["SchoolSummary"]):
    def for_team(self, team: Team) -> SchoolSummaryQuerySet:
        return self.filter(team=team)

    def released_to(self, partner: User, team: Team) -> SchoolSummaryQuerySet:
        """What a partner may read: released, under consent still in force, for children
        who are at a school the partner currently works at, the summary's own school."""
        schools = PartnerSchool.objects.current().filter(team=team, partner=partner)
        return self.filter(
            team=team,
            status=SummaryStatus.RELEASED,
            school__in=schools.values("school"),
            child__school=models.F("school"),
            consent__in=SharingConsent.objects.current(),
        )


class SchoolSummary(VersionedModel):
    """'What helps this child in class', written for the child's school by a clinician."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="school_summaries")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(_("what the child is good at"), max_length=3000, blank=True)
    what_helps = models.TextField(_("what helps this child in class"), max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    consent = models.ForeignKey(
        SharingConsent, on_delete=models.PROTECT, null=True, blank=True, related_name="summaries"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchoolSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"School summary for {self.child} ({self.get_status_display()})"
