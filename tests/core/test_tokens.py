"""Secure links: entropy, hashed storage, expiry, single use, purpose and revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sapling.accounts.models import User
from sapling.children.models import Carer, Child
from sapling.children.records import update_carer
from sapling.core.models import SecureLink
from sapling.core.tokens import (
    MAX_LIFETIME,
    LinkExpired,
    LinkNotFound,
    LinkRefused,
    LinkRevoked,
    LinkUsed,
    consume_link,
    issue_link,
    link_url,
    resolve_link,
    revoke_links_for_carer,
    revoke_links_for_target,
)
from tests.factories import CarerFactory

PURPOSE = "waitlist.check_in"


@pytest.fixture
def carer(child: Child) -> Carer:
    """Alys's mother, who agreed to be contacted by email."""
    return CarerFactory.create(child=child, email="rhian@example.com", phone="07700900123")


def _issue(
    child: Child, carer: Carer | None = None, *, days: int = 14, single_use: bool = True
) -> tuple[SecureLink, str]:
    return issue_link(
        purpose=PURPOSE,
        target=child,
        carer=carer,
        expires_at=timezone.now() + dt.timedelta(days=days),
        single_use=single_use,
    )


def database_text() -> str:
    """Every row of every table as text: what a stolen database dump would show."""
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_a_token_has_256_bits_from_the_url_safe_alphabet(child: Child) -> None:
    tokens = {_issue(child)[1] for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        # 43 characters of a 64-letter alphabet: 258 bits of room for 32 random bytes.
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_only_the_hash_of_a_token_is_stored(child: Child) -> None:
    issued = [_issue(child) for _ in range(100)]
    dump = database_text()
    for link, token in issued:
        assert token not in dump
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_the_link_url_carries_only_the_token(child: Child, settings: Any) -> None:
    settings.SAPLING_BASE_URL = "https://sapling.example.nhs.uk/"
    _, token = _issue(child)
    assert link_url(token) == f"https://sapling.example.nhs.uk/l/{token}/"


def test_a_live_link_resolves_to_its_target_and_carer(child: Child, carer: Carer) -> None:
    link, token = _issue(child, carer)
    found = resolve_link(token, purpose=PURPOSE)
    assert found.pk == link.pk
    assert found.target == child
    assert found.carer == carer


def test_a_link_works_until_its_expiry_and_not_after(child: Child) -> None:
    link, token = _issue(child)
    second = dt.timedelta(seconds=1)
    assert resolve_link(token, purpose=PURPOSE, now=link.expires_at - second)
    with pytest.raises(LinkExpired):
        resolve_link(token, purpose=PURPOSE, now=link.expires_at)
    with pytest.raises(LinkExpired):
        resolve_link(token, purpose=PURPOSE, now=link.expires_at + second)


def test_an_expired_link_cannot_be_consumed(child: Child) -> None:
    link, _ = _issue(child)
    with pytest.raises(LinkExpired):
        consume_link(link, now=link.expires_at + dt.timedelta(seconds=1))


def test_a_single_use_link_works_once(child: Child) -> None:
    _, token = _issue(child)
    consume_link(resolve_link(token, purpose=PURPOSE))
    with pytest.raises(LinkUsed):
        resolve_link(token, purpose=PURPOSE)


def test_of_two_submissions_from_stale_reads_only_the_first_is_accepted(child: Child) -> None:
    _, token = _issue(child)
    first = resolve_link(token, purpose=PURPOSE)
    second = resolve_link(token, purpose=PURPOSE)  # read before the first was consumed
    consume_link(first)
    used_at = SecureLink.objects.get(pk=first.pk).used_at
    with pytest.raises(LinkUsed):
        consume_link(second)
    assert SecureLink.objects.get(pk=first.pk).used_at == used_at


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_submissions_are_accepted_exactly_once(child: Child) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL; the stale-read test covers SQLite")
    _, token = _issue(child)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                consume_link(resolve_link(token, purpose=PURPOSE))
            outcomes.append("accepted")
        except LinkUsed:
            outcomes.append("used")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accepted") == 1
    assert outcomes.count("used") == 19


def test_a_reusable_link_keeps_working_after_use(child: Child) -> None:
    _, token = _issue(child, single_use=False)
    consume_link(resolve_link(token, purpose=PURPOSE))
    assert resolve_link(token, purpose=PURPOSE).used_at is not None


def test_a_link_for_another_purpose_is_not_found(child: Child) -> None:
    _, token = _issue(child)
    with pytest.raises(LinkNotFound):
        resolve_link(token, purpose="outcomes.questionnaire")


@pytest.mark.parametrize("token", ["", "x" * 43, "x" * 5000])
def test_an_unknown_or_malformed_token_is_not_found(child: Child, token: str) -> None:
    _issue(child)
    with pytest.raises(LinkNotFound):
        resolve_link(token, purpose=PURPOSE)


@pytest.mark.parametrize(
    ("changes", "reason_mentions"),
    [
        ({"email": "new@example.com"}, "email"),
        ({"phone": "07700900999"}, "phone"),
        ({"address": "1 New Road, Swansea"}, "address"),
        ({"parental_responsibility": False}, "parental_responsibility"),
        ({"contact_restriction": "no_information"}, "contact_restriction"),
        ({"consent_to_contact": False}, "consent_to_contact"),
    ],
)
def test_changing_a_carers_contact_details_or_rights_revokes_their_links(
    child: Child, carer: Carer, clinician: User, changes: dict[str, object], reason_mentions: str
) -> None:
    link, token = _issue(child, carer)
    update_carer(carer=carer, expected_version=carer.version, by=clinician, **changes)
    with pytest.raises(LinkRevoked):
        resolve_link(token, purpose=PURPOSE)
    link.refresh_from_db()
    assert reason_mentions in link.revoked_reason


def test_other_changes_to_a_carer_leave_their_links_working(
    child: Child, carer: Carer, clinician: User
) -> None:
    _, token = _issue(child, carer)
    update_carer(
        carer=carer,
        expected_version=carer.version,
        by=clinician,
        given_name="Rhiannon",
        email=carer.email,  # saved again unchanged
    )
    assert resolve_link(token, purpose=PURPOSE)


def test_a_restriction_set_outside_update_carer_still_stops_the_link(
    child: Child, carer: Carer
) -> None:
    _, token = _issue(child, carer)
    Carer.objects.filter(pk=carer.pk).update(contact_restriction="do_not_contact")
    with pytest.raises(LinkRevoked):
        resolve_link(token, purpose=PURPOSE)


def test_revoking_a_carers_links_leaves_other_carers_and_used_links_alone(
    child: Child, carer: Carer
) -> None:
    other = CarerFactory.create(child=child, relationship="father")
    used, used_token = _issue(child, carer)
    consume_link(used)
    _, open_token = _issue(child, carer)
    _, others_token = _issue(child, other)
    assert revoke_links_for_carer(carer, "test") == 1
    with pytest.raises(LinkRevoked):
        resolve_link(open_token, purpose=PURPOSE)
    with pytest.raises(LinkUsed):
        resolve_link(used_token, purpose=PURPOSE)
    assert resolve_link(others_token, purpose=PURPOSE)


def test_revoking_a_targets_links(child: Child) -> None:
    link, token = _issue(child)
    assert revoke_links_for_target(child, "episode closed") == 1
    with pytest.raises(LinkRevoked):
        consume_link(link)
    with pytest.raises(LinkRevoked):
        resolve_link(token, purpose=PURPOSE)


def test_no_link_is_issued_to_a_carer_who_may_not_be_contacted(child: Child) -> None:
    restricted = CarerFactory.create(child=child, contact_restriction="do_not_contact")
    with pytest.raises(LinkRefused):
        _issue(child, restricted)
    assert not SecureLink.objects.exists()


@pytest.mark.parametrize("lifetime", [dt.timedelta(0), MAX_LIFETIME + dt.timedelta(minutes=1)])
def test_a_link_must_expire_within_the_maximum_lifetime(
    child: Child, lifetime: dt.timedelta
) -> None:
    with pytest.raises(LinkRefused):
        issue_link(purpose=PURPOSE, target=child, expires_at=timezone.now() + lifetime)
