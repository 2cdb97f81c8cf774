from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sapling.demo"
    label = "demo"
