"""Universal and targeted support. For now: the library of resources families are sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.models import TimestampedModel


class ResourceKind(models.TextChoices):
    HANDOUT = "handout", _("Handout")
    VIDEO = "video", _("Video")
    ACTIVITY_SHEET = "activity_sheet", _("Activity sheet")
    WEBSITE = "website", _("Website")


class Audience(models.TextChoices):
    PARENTS = "parents", _("Parents and carers")
    SCHOOL_STAFF = "school_staff", _("Teachers and school staff")
    EARLY_YEARS = "early_years", _("Early years staff")
    YOUNG_PEOPLE = "young_people", _("Young people")
    CHILDREN = "children", _("Children")


class Resource(TimestampedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    url = models.URLField(_("link"), blank=True, help_text=_("For videos and websites"))
    file = models.FileField(_("file"), upload_to="resources/", blank=True)
    audiences = models.JSONField(_("audiences"), default=list)
    topics = models.JSONField(
        _("topics"), default=list, help_text=_("Occupational areas it helps with")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("cy", "Cymraeg")], default="en"
    )
    public = models.BooleanField(_("show on the public resources page"), default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
