"""A child's locality, copied onto the records about them (KeepsChildLocality), kept in
step: the copies are stamped again whenever the child's locality changes or their record
takes over another's (docs/reports.md, "How fast it is")."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery

from sapling.children.models import Child, KeepsChildLocality


def models_keeping_it() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, KeepsChildLocality) and not model._meta.abstract
    ]


def restamp(child: Child) -> int:
    """Copy the child's locality onto every record about them; how many records changed."""
    changed = 0
    for model in models_keeping_it():
        path = model.child_path  # type: ignore[attr-defined]
        changed += (
            model._default_manager.filter(**{path: child})
            .exclude(child_locality_id=child.locality_id)
            .update(child_locality_id=child.locality_id)
        )
    return changed


def copy_onto_existing(
    model: type[models.Model], parent: type[models.Model], key: str, locality: str
) -> None:
    """For a migration adding KeepsChildLocality: stamp every `model` row with the locality
    found on the `parent` row its `key` column names (historical models, passed in)."""
    found = parent._default_manager.filter(pk=OuterRef(key)).values(locality)[:1]
    model._default_manager.update(child_locality_id=Subquery(found))


def out_of_step() -> dict[str, int]:
    """{model label: records whose copy is not their child's locality now}; empty when
    every copy is in step."""
    found = {}
    for model in models_keeping_it():
        now = F(f"{model.child_path}__locality_id")  # type: ignore[attr-defined]
        differs = (
            model._default_manager.annotate(now=now)
            .filter(
                Q(child_locality__isnull=True, now__isnull=False)
                | Q(child_locality__isnull=False, now__isnull=True)
                | (
                    Q(child_locality__isnull=False, now__isnull=False)
                    & ~Q(child_locality_id=F("now"))
                )
            )
            .count()
        )
        if differs:
            found[model._meta.label] = differs
    return found
