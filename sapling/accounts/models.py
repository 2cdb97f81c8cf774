"""Teams (one children's OT service each), their localities, users and memberships."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.core.models import TimestampedModel
from sapling.core.roles import Role


class Nation(models.TextChoices):
    WALES = "wales", _("Wales")
    ENGLAND = "england", _("England")


class Team(TimestampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    nation = models.CharField(_("nation"), max_length=10, choices=Nation.choices)
    target_weeks = models.PositiveSmallIntegerField(
        _("waiting time target in weeks"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    target_share = models.DecimalField(
        _("share to be seen within the target"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="localities")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="unique_locality_per_team")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )

    def active_membership(self) -> Membership | None:
        return self.memberships.filter(active=True).select_related("team").first()


class Membership(TimestampedModel):
    """A user's place in one team: their role and, for clinicians, the time they give."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    wte = models.DecimalField(
        _("whole-time equivalent"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1.5"))],
    )
    clinical_hours_per_week = models.DecimalField(
        _("clinical hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.team})"
