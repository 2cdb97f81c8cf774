"""The demo service's child records: safeguarding, statutory advice and school summaries.

The first demo clinician is the team's safeguarding lead. A few children already flagged
for safeguarding have concerns: one escalated and open, one open, one closed with its
outcome. Half a dozen Additional Learning Needs advice requests sit at each stage (overdue,
due this fortnight, later, sent, withdrawn). The demo partner is linked to the school with
the most children; three of its pupils have summaries: two shared under a parent's
consent, one a draft with no consent yet, and one more withdrawn with its consent. All of
it goes through the same domain functions as the pages.
"""

from __future__ import annotations

import datetime as dt
import random

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count

from sapling.accounts.models import Team, User
from sapling.children import safeguarding, sharing, statutory
from sapling.children.models import (
    Child,
    ConsentGiver,
    ConsentMethod,
    PartnerSchool,
    SafeguardingConcern,
    SafeguardingSettings,
    School,
    SchoolSummary,
    SharingConsent,
    StatutoryAdviceRequest,
)
from sapling.core.models import OutboxMessage
from sapling.demo.flow import Cast

CONCERNS = [
    (
        "Came to the session with a burn mark on the back of the hand; said it was the "
        "iron but changed the story twice. Mother seemed anxious to leave.",
        "Children's services duty and assessment team (spoke to the duty social worker)",
    ),
    (
        "Child said there is often no food at home at weekends and was eating from the "
        "bin at school, as the class teacher reported.",
        "School's designated safeguarding person and the health visitor",
    ),
    (
        "Older sibling (16) told me their stepfather shouts and throws things when "
        "drinking; both children frightened.",
        "Children's services duty team; police not called as no immediate danger",
    ),
]
CLOSED_OUTCOME = (
    "Strategy discussion held; family accepted early help support. Social worker allocated; "
    "no further action for this service beyond sharing concerns at review."
)
ADVICE_FROM = ["City and County of Swansea ALN team", "Neath Port Talbot ALN team"]
# Days until the advice is due, and what became of it.
ADVICE_STAGES = [
    (-4, "open"),
    (3, "open"),
    (11, "open"),
    (30, "open"),
    (-20, "sent"),
    (9, "withdrawn"),
]
STRENGTHS = [
    "Loves Lego and building; a kind friend who helps younger children.",
    "Great memory for stories and facts about animals; enjoys drawing.",
    "Keen to help; happy to try again when something is hard.",
]
WHAT_HELPS = [
    "A sloped writing board and a triangular pencil grip.\nSit facing the board, near the "
    "front, away from the door.\nA movement break (taking the register to the office) "
    "every 20 minutes of seated work.",
    "Ear defenders for assembly and wet play, and a quiet corner to go to.\nWarn about "
    "changes to the day with the visual timetable.\nExtra time to change for PE, with "
    "Velcro shoes.",
    "Chunky cutlery and a non-slip mat at lunch.\nShort, one-step instructions, with a "
    "picture where you can.\nA wobble cushion on the carpet.",
]


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    lead = cast.clinicians[0]
    safeguarding.set_safeguarding_lead(team=team, lead=lead, by=cast.lead)
    _concerns(team, cast, rng, today)
    _advice(team, cast, rng, today)
    _summaries(team, cast, rng, today)


def _concerns(team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    flagged = list(Child.objects.for_team(team).filter(safeguarding_flag=True).order_by("pk"))
    for number, (child, (what, told)) in enumerate(zip(flagged, CONCERNS, strict=False)):
        by = cast.clinicians[(number + 1) % len(cast.clinicians)]
        noticed = today - dt.timedelta(days=rng.randint(3, 40))
        concern = safeguarding.record_concern(
            child=child, concern=what, noticed_on=noticed, who_was_told=told, told_on=noticed, by=by
        )
        if number == 0:
            safeguarding.escalate_concern(
                concern=concern,
                note="Please advise whether we should attend the strategy meeting.",
                by=by,
                expected_version=concern.version,
            )
        elif number == 2:
            safeguarding.close_concern(
                concern=concern,
                outcome=CLOSED_OUTCOME,
                on=min(today, noticed + dt.timedelta(days=14)),
                by=cast.clinicians[0],
                expected_version=concern.version,
            )


def _advice(team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    weeks = statutory.due_date(team, today) - today
    children = list(
        Child.objects.for_team(team)
        .filter(additional_learning_needs="yes", school__isnull=False)
        .order_by("pk")[: len(ADVICE_STAGES)]
    )
    writers: list[User | None] = [*cast.clinicians, None]
    for number, (child, (due_in, stage)) in enumerate(zip(children, ADVICE_STAGES, strict=False)):
        received = today + dt.timedelta(days=due_in) - weeks
        advice = statutory.record_request(
            child=child,
            requested_by=rng.choice(ADVICE_FROM),
            reference=f"ALN/{today.year}/{rng.randint(100, 999)}",
            received_on=received,
            writer=writers[number % len(writers)] if stage != "sent" else cast.clinicians[0],
            by=cast.lead,
        )
        if stage == "sent":
            statutory.record_submission(
                request=advice,
                on=advice.due_on - dt.timedelta(days=2),
                by=cast.clinicians[0],
                expected_version=advice.version,
            )
        elif stage == "withdrawn":
            statutory.withdraw_request(
                request=advice,
                reason="The local authority decided the school can meet the needs (no IDP).",
                by=cast.lead,
                expected_version=advice.version,
            )


def _summaries(team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    school = (
        School.objects.filter(team=team)
        .annotate(pupils=Count("child"))
        .order_by("-pupils", "pk")
        .first()
    )
    if school is None:
        return
    sharing.link_partner(team=team, partner=cast.partner, school=school, by=cast.lead)
    pupils = [
        child
        for child in Child.objects.for_team(team).filter(school=school).order_by("pk")[:40]
        if child.carers.filter(parental_responsibility=True).exists()
    ][:4]
    for number, child in enumerate(pupils):
        writer = cast.clinicians[number % len(cast.clinicians)]
        summary = sharing.write_summary(
            child=child,
            strengths=STRENGTHS[number % len(STRENGTHS)],
            what_helps=WHAT_HELPS[number % len(WHAT_HELPS)],
            by=writer,
        )
        if number == 2:
            continue  # a draft, waiting for the family's consent
        carer = child.carers.filter(parental_responsibility=True).order_by("pk").first()
        consent = sharing.record_consent(
            child=child,
            given_by=ConsentGiver.CARER,
            carer=carer,
            given_on=today - dt.timedelta(days=rng.randint(1, 20)),
            method=rng.choice([ConsentMethod.IN_PERSON, ConsentMethod.PHONE]),
            competence_note="",
            by=writer,
        )
        sharing.release_summary(summary=summary, by=writer, expected_version=summary.version)
        if number == 3:
            consent.refresh_from_db()
            sharing.withdraw_consent(
                consent=consent,
                reason="Father phoned: the family would rather tell the school themselves.",
                by=writer,
                expected_version=consent.version,
            )


def _delete_audit_entries(model: type[models.Model], records: models.QuerySet) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=records.values("pk"),
    ).delete()


def delete(team: Team) -> None:
    """Everything above, with its audit trail and the emails it queued."""
    records: list[tuple[type[models.Model], models.QuerySet]] = [
        (SchoolSummary, SchoolSummary.objects.filter(team=team)),
        (SharingConsent, SharingConsent.objects.filter(child__team=team)),
        (SafeguardingConcern, SafeguardingConcern.objects.filter(team=team)),
        (StatutoryAdviceRequest, StatutoryAdviceRequest.objects.filter(team=team)),
        (PartnerSchool, PartnerSchool.objects.filter(team=team)),
        (SafeguardingSettings, SafeguardingSettings.objects.filter(team=team)),
    ]
    for model, queryset in records:
        _delete_audit_entries(model, queryset)
        queryset.delete()
    OutboxMessage.objects.filter(
        team=team, template__regex=r"^(safeguarding|sharing|statutory)\."
    ).delete()
