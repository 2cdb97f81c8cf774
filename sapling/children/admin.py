"""Reference lists a superuser may load for a team; children are managed in Sapling's pages."""

from __future__ import annotations

from django.contrib import admin

from sapling.children.models import GPCluster, GPPractice, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin[School]):
    list_display = ["name", "school_number", "school_type", "local_authority", "team"]
    list_filter = ["team", "school_type"]
    search_fields = ["name", "school_number"]


@admin.register(GPCluster)
class GPClusterAdmin(admin.ModelAdmin[GPCluster]):
    list_display = ["name", "team"]


@admin.register(GPPractice)
class GPPracticeAdmin(admin.ModelAdmin[GPPractice]):
    list_display = ["name", "ods_code", "cluster", "team"]
    list_filter = ["team"]
