from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapling.settings")
application = get_wsgi_application()

# A report page holds a few hundred thousand small objects (its grouped rows) for a moment.
# With Python's default thresholds the collector walked them three times on the dashboard,
# about 150 ms of a 2 s page; collecting after 50,000 new objects rather than 700 leaves
# such a page alone. What start-up loaded lives as long as the process, so it is frozen out
# of the collector's view altogether (benchmarks/RESULTS.md, "Dashboard").
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 10, 10)
