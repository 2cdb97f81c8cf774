"""Views reach a child's data only through the team scope."""

from __future__ import annotations

import re
from pathlib import Path

SENSITIVE_MODELS = ["Child", "Carer"]
ROOT = Path(__file__).resolve().parents[2] / "sapling"


def test_no_view_uses_a_sensitive_models_unscoped_manager() -> None:
    offenders = []
    for views in ROOT.glob("*/views.py"):
        source = views.read_text()
        for model in SENSITIVE_MODELS:
            for match in re.finditer(rf"\b{model}\.objects\.(\w+)", source):
                if match.group(1) != "for_team":
                    line = source[: match.start()].count("\n") + 1
                    offenders.append(f"{views.relative_to(ROOT)}:{line} {match.group(0)}")
    assert offenders == []
