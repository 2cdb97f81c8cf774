"""Audit of reads and exports of a child's record, beside django-auditlog's change trail.

Changes are recorded by auditlog itself (models registered in each app's audit module);
this module adds the reads: who looked at what, when and from where, in the same table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=models.Model)


def _client_address(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is what the web server saw; behind the documented reverse proxy, gunicorn
    # is told to trust the proxy's X-Forwarded-For and rewrites REMOTE_ADDR itself.
    return request.META.get("REMOTE_ADDR") or None


def _record(
    request: HttpRequest,
    model: type[models.Model],
    *,
    object_pk: str,
    object_repr: str,
    details: dict[str, Any],
) -> LogEntry:
    user = request.user if request.user.is_authenticated else None
    team = getattr(request, "team", None)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=object_pk,
        object_id=int(object_pk) if object_pk.isdigit() else None,
        object_repr=object_repr[:500],
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", None),
        remote_addr=_client_address(request),
        additional_data={"path": request.path, "team": team.pk if team else None, **details},
    )


def record_view(request: HttpRequest, instance: models.Model, *, what: str = "view") -> LogEntry:
    """One record was shown (or exported, with what="export")."""
    return _record(
        request,
        type(instance),
        object_pk=str(instance.pk),
        object_repr=str(instance),
        details={"event": what},
    )


def record_list_view(
    request: HttpRequest,
    model: type[models.Model],
    records: Iterable[models.Model],
    *,
    description: str,
    what: str = "list",
) -> LogEntry:
    """A list page or export: one event naming every record it showed."""
    shown = [record.pk for record in records]
    return _record(
        request,
        model,
        object_pk="",
        object_repr=description,
        details={"event": what, "records": shown, "count": len(shown)},
    )


def record_refused(request: HttpRequest, model: type[models.Model], object_pk: object) -> LogEntry:
    """Someone asked for a record outside their team or role; they were shown a 404."""
    return _record(
        request,
        model,
        object_pk=str(object_pk),
        object_repr=f"Refused access to {model._meta.verbose_name} {object_pk}",
        details={"event": "refused"},
    )


def get_or_refuse(request: HttpRequest, records: QuerySet[M], pk: object) -> M:
    """The record with this key among `records` (already scoped to what the user may see).

    Anything else is "not found", never "forbidden", and the attempt is recorded.
    """
    found = records.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        record_refused(request, records.model, pk)
        raise Http404(f"No {records.model._meta.verbose_name} found")
    return found
