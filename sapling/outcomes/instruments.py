"""The instruments Sapling ships (JSON files beside this module) and a service's uploads."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.outcomes.models import Instrument, InstrumentVersion
from sapling.outcomes.validation import CheckedInstrument, InstrumentRefused, check_instrument

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
FAMILY_CONFIDENCE = "family_confidence"
FRIENDS_AND_FAMILY_TEST = "friends_and_family_test"
SESSION_FEEDBACK = "session_feedback"
GAS = "goal_attainment_scaling"


@cache
def shipped() -> dict[str, CheckedInstrument]:
    """Every shipped instrument, checked like an upload (a broken file fails loudly)."""
    found = {}
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        checked = check_instrument(path.read_text(encoding="utf-8"))
        found[checked.name] = checked
    return found


def _save(checked: CheckedInstrument, team: Team | None, by: User | None) -> InstrumentVersion:
    instrument, _created = Instrument.objects.get_or_create(
        team=team, name=checked.name, defaults={"title": checked.title, "kind": checked.kind}
    )
    return InstrumentVersion.objects.create(
        instrument=instrument,
        version=checked.version,
        questionnaire=checked.questionnaire,
        scoring=checked.scoring,
        languages=checked.languages,
        respondents=checked.respondents,
        source=checked.source,
        licence=checked.licence,
        uploaded_by=by,
    )


def shipped_version(name: str) -> InstrumentVersion:
    """The current version of a shipped instrument, saved on first use (idempotent)."""
    checked = shipped()[name]
    found = InstrumentVersion.objects.filter(
        instrument__team__isnull=True, instrument__name=name, version=checked.version
    ).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _save(checked, None, None)
    except IntegrityError:  # saved by a concurrent request
        return InstrumentVersion.objects.get(
            instrument__team__isnull=True, instrument__name=name, version=checked.version
        )


def load_shipped() -> list[InstrumentVersion]:
    return [shipped_version(name) for name in shipped()]


@transaction.atomic
def add_instrument(*, team: Team, raw: bytes | str, by: User) -> InstrumentVersion:
    """A service's own (licensed) instrument, checked; refused with reasons if broken."""
    checked = check_instrument(raw)
    if checked.name in shipped():
        raise InstrumentRefused(
            [
                _('"%(name)s" is the name of an instrument Sapling ships: choose another name')
                % {"name": checked.name}
            ]
        )
    if InstrumentVersion.objects.filter(
        instrument__team=team, instrument__name=checked.name, version=checked.version
    ).exists():
        raise InstrumentRefused(
            [
                _("Version %(version)s of %(name)s is already loaded: give the file a new version")
                % {"version": checked.version, "name": checked.name}
            ]
        )
    version = _save(checked, team, by)
    Instrument.objects.filter(pk=version.instrument_id).update(title=checked.title)
    return version
