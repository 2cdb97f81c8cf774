from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sapling.core"
    label = "core"
