"""Django's admin site, for superusers setting up a service: teams, localities, users."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sapling.accounts.models import Locality, Membership, Team, User


class LocalityInline(admin.TabularInline[Locality, Team]):
    model = Locality
    extra = 1


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1
    fields = ["team", "role", "wte", "clinical_hours_per_week", "active"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "nation", "target_weeks", "target_share"]
    inlines = [LocalityInline]


@admin.register(User)
class SaplingUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Sapling", {"fields": ["preferred_language"]}))
