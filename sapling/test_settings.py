"""Settings for the test suite and type checking: the development settings, whatever the shell."""

from __future__ import annotations

import os

os.environ.setdefault("SAPLING_ENV", "development")

from sapling.settings import *  # noqa: F403
