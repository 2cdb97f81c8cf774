from __future__ import annotations

from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "sapling.areas"
    label = "areas"
