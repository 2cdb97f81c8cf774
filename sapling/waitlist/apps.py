from __future__ import annotations

from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "sapling.waitlist"
    label = "waitlist"
