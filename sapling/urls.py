from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from sapling.core import views as core_views

# Django's own admin site is for superusers only; staff work in Sapling's pages.
admin.site.has_permission = lambda request: bool(  # type: ignore[method-assign]
    request.user.is_active and request.user.is_superuser
)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("sapling.accounts.urls")),
    path("children/", include("sapling.children.urls")),
    path("referrals/", include("sapling.referrals.urls")),
    path("request-help/", include("sapling.referrals.public_urls")),
    path("triage/", include("sapling.triage.urls")),
    path("waiting-list/", include("sapling.waitlist.urls")),
    path("resources/", include("sapling.groups.urls")),
    path("groups/", include("sapling.groups.run_urls")),
    path("book/", include("sapling.groups.booking_urls")),
    path("consultations/", include("sapling.consultations.urls")),
    path("care/", include("sapling.care.urls")),
    path("outcomes/", include("sapling.outcomes.urls")),
    path("reports/", include("sapling.reports.urls")),
    path("l/<str:token>/", core_views.open_secure_link, name="open_secure_link"),
    path("django-admin/", admin.site.urls),
    path("", include("sapling.core.urls")),
]
