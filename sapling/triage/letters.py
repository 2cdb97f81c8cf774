"""The letters a triage outcome sends to the family, through the one outbox."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sapling.children.models import Carer
from sapling.core.models import OutboxMessage
from sapling.core.outbox import queue_message
from sapling.triage.models import Outcome, TriageDecision

RESOURCES_PATH = "/resources/"


def resources_url() -> str:
    return f"{settings.SAPLING_BASE_URL.rstrip('/')}{RESOURCES_PATH}"


def _text(decision: TriageDecision, carer: Carer) -> tuple[str, str]:
    child = decision.referral.child
    name = child.preferred_name or child.given_name
    greeting = _("Dear %(name)s,") % {"name": f"{carer.given_name} {carer.family_name}"}
    reference = _("Our reference: %(ref)s") % {"ref": decision.referral.reference}
    signature = _("Children's occupational therapy, %(team)s") % {"team": decision.referral.team}
    if decision.outcome == Outcome.UNIVERSAL:
        subject = _("Support for %(name)s from children's occupational therapy") % {"name": name}
        middle = [
            _(
                "Thank you for asking us for help with %(name)s. An occupational therapist has "
                "read the request carefully."
            )
            % {"name": name},
            _(
                "We think %(name)s can be helped best by everyday strategies at home and at "
                "school or nursery. Our free training, handouts, videos and activity sheets are "
                "here: %(url)s"
            )
            % {"name": name, "url": resources_url()},
            _(
                "We have not added %(name)s to our waiting list. If things get harder, or the "
                "strategies do not help after a few months, you can ask us for help again."
            )
            % {"name": name},
        ]
    elif decision.outcome == Outcome.REDIRECTED:
        subject = _("Your request for help for %(name)s") % {"name": name}
        middle = [
            _(
                "Thank you for asking us for help with %(name)s. An occupational therapist has "
                "read the request carefully and thinks another service can help better."
            )
            % {"name": name},
            _("What happens next: %(reason)s") % {"reason": decision.outcome_reason},
        ]
    else:
        subject = _("Your request for help for %(name)s") % {"name": name}
        middle = [
            _(
                "Thank you for asking us for help with %(name)s. An occupational therapist has "
                "read the request carefully, and our service is not the right one this time."
            )
            % {"name": name},
            _("Why: %(reason)s") % {"reason": decision.outcome_reason},
            _("Our free resources may still help: %(url)s") % {"url": resources_url()},
        ]
    body = "\n\n".join([greeting, *middle, reference, signature])
    return subject, body


def send_outcome_letters(decision: TriageDecision) -> list[OutboxMessage]:
    """Queue the outcome letter to each carer; restricted carers are never sent anything.

    The outbox keeps a "suppressed" record for a carer who may not be contacted.
    """
    queued = []
    for carer in decision.referral.child.carers.all():
        with translation.override(carer.preferred_language):
            subject, body = _text(decision, carer)
        message = queue_message(
            team=decision.referral.team,
            carer=carer,
            template=f"triage.{decision.outcome}",
            subject=subject,
            body=body,
            dedupe_key=f"triage.{decision.outcome}:{decision.pk}:{carer.pk}",
        )
        if message is not None:
            queued.append(message)
    return queued
