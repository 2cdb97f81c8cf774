"""Root test configuration: settings for tests and the named personas every test uses."""

from __future__ import annotations

import os

# Tests run the development settings; CI sets DATABASE_URL for the PostgreSQL leg.
os.environ.setdefault("SAPLING_ENV", "development")
