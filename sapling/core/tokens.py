"""Secure links: one token service for every link sent to a family or a participant.

A link is `/l/<token>/` and carries nothing but the token. The token has 256 bits from
the operating system's CSPRNG; the database keeps only its SHA-256, bound to a purpose, a
target record, the carer it was sent to and an expiry. A single-use link is consumed by
a conditional UPDATE, so two racing submissions cannot both succeed. Changing a carer's
contact details or rights revokes their open links (sapling/children/records.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from sapling.core.models import SecureLink

if TYPE_CHECKING:
    from sapling.children.models import Carer

# secrets.token_urlsafe(32) is 32 random bytes: 256 bits, 43 URL-safe characters.
TOKEN_BYTES = 32
# Links answer one question and then stop working; a fortnight covers a posted letter.
MAX_LIFETIME = dt.timedelta(days=14)
# Anything longer is not one of ours: refused before it reaches the database.
_MAX_TOKEN_LENGTH = 100


class LinkError(Exception):
    """A link cannot be used. Pages show one message per subclass, never the details.

    ``purpose`` is set once the link was found, so a used link can be answered in its
    purpose's own words (sapling.core.links.USED_WORDING).
    """

    def __init__(self, purpose: str = "") -> None:
        super().__init__(purpose)
        self.purpose = purpose


class LinkNotFound(LinkError):
    """No link has this token for this purpose (or the token is malformed)."""


class LinkExpired(LinkError):
    """The link is past its expiry time."""


class LinkUsed(LinkError):
    """A single-use link that has already been answered."""


class LinkRevoked(LinkError):
    """The link was withdrawn, e.g. because the carer's contact details changed."""


class LinkRefused(ValueError):
    """A link was asked for that must not be issued (restricted carer, bad expiry)."""


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def link_url(raw_token: str) -> str:
    """The absolute address to send: no personal data, only the token."""
    return f"{settings.SAPLING_BASE_URL.rstrip('/')}/l/{raw_token}/"


def _check_issue(carer: Carer | None, expires_at: dt.datetime, now: dt.datetime) -> None:
    if carer is not None and not carer.may_be_contacted:
        raise LinkRefused("this carer may not be contacted")
    if expires_at <= now:
        raise LinkRefused("a link must expire in the future")
    if expires_at - now > MAX_LIFETIME:
        raise LinkRefused(f"a link may last at most {MAX_LIFETIME.days} days")


def issue_link(
    *,
    purpose: str,
    target: models.Model,
    carer: Carer | None = None,
    expires_at: dt.datetime,
    single_use: bool = True,
) -> tuple[SecureLink, str]:
    """A new link and its raw token. Send the token at once; it cannot be recovered."""
    if not purpose:
        raise LinkRefused("a link needs a purpose")
    _check_issue(carer, expires_at, timezone.now())
    raw_token = secrets.token_urlsafe(TOKEN_BYTES)
    link = SecureLink.objects.create(
        token_hash=hash_token(raw_token),
        purpose=purpose,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        carer=carer,
        expires_at=expires_at,
        single_use=single_use,
    )
    return link, raw_token


def _refusal(link: SecureLink, now: dt.datetime) -> LinkError | None:
    if link.revoked_at is not None:
        return LinkRevoked(link.purpose)
    # Defence in depth: a restriction set without update_carer (e.g. in the admin site)
    # still stops the link.
    if link.carer is not None and not link.carer.may_be_contacted:
        return LinkRevoked(link.purpose)
    if link.single_use and link.used_at is not None:
        return LinkUsed(link.purpose)
    if now >= link.expires_at:
        return LinkExpired(link.purpose)
    return None


def resolve_link(
    raw_token: str, *, purpose: str | Collection[str], now: dt.datetime | None = None
) -> SecureLink:
    """The live link for this token and purpose (or one of these purposes), or a LinkError.

    Lookup is by the token's hash through a unique index, so there is no secret comparison
    in Python to time: an attacker learns nothing from how long a miss takes beyond what
    a database index lookup on a SHA-256 reveals, which is nothing about the stored hashes.
    """
    if not raw_token or len(raw_token) > _MAX_TOKEN_LENGTH:
        raise LinkNotFound()
    link = (
        SecureLink.objects.select_related("carer")
        .filter(
            token_hash=hash_token(raw_token),
            purpose__in=[purpose] if isinstance(purpose, str) else list(purpose),
        )
        .first()
    )
    if link is None:
        # A link used for another purpose is "not found": it tells a guesser nothing.
        raise LinkNotFound()
    refusal = _refusal(link, now or timezone.now())
    if refusal is not None:
        raise refusal
    return link


def live_link(pk: int, *, purpose: str, now: dt.datetime | None = None) -> SecureLink:
    """The link a visitor's session holds (by id, once /l/ swapped its token), if still live.

    Raises the LinkError saying why not, with the same checks as resolve_link.
    """
    link = SecureLink.objects.select_related("carer").filter(pk=pk, purpose=purpose).first()
    if link is None:
        raise LinkNotFound()
    refusal = _refusal(link, now or timezone.now())
    if refusal is not None:
        raise refusal
    return link


@transaction.atomic
def consume_link(link: SecureLink, *, now: dt.datetime | None = None) -> SecureLink:
    """Mark a link used; of two racing calls exactly one succeeds, the other gets LinkUsed.

    Call it in the same transaction that saves the answer, so both happen or neither.
    """
    now = now or timezone.now()
    live = SecureLink.objects.filter(pk=link.pk, revoked_at__isnull=True, expires_at__gt=now)
    if link.single_use:
        # The WHERE clause, not a Python check, decides: a row can move from unused to
        # used once, whatever else is running. select_for_update serialises the re-read
        # below on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway.
        live = live.filter(used_at__isnull=True)
    if live.update(used_at=now) == 1:
        link.used_at = now
        return link
    fresh = SecureLink.objects.select_for_update().get(pk=link.pk)
    raise _refusal(fresh, now) or LinkUsed(fresh.purpose)


def revoke_links_for_carer(carer: Carer, reason: str, *, now: dt.datetime | None = None) -> int:
    """Withdraw every open link sent to this carer; returns how many."""
    return (
        SecureLink.objects.open()
        .filter(carer=carer)
        .update(revoked_at=now or timezone.now(), revoked_reason=reason[:200])
    )


def revoke_links_for_target(
    target: models.Model, reason: str, *, now: dt.datetime | None = None
) -> int:
    """Withdraw every open link about one record, e.g. when an episode closes."""
    return (
        SecureLink.objects.open()
        .filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
        .update(revoked_at=now or timezone.now(), revoked_reason=reason[:200])
    )
