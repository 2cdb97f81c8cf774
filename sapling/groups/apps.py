from __future__ import annotations

from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "sapling.groups"
    label = "groups"
