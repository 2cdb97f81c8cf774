"""The public request-for-help form: its question pages, answers kept in the session, and
the final submit. Nothing reaches the database until the person confirms their answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import School
from sapling.core.forms import SaplingForm
from sapling.referrals import consent, forms, intake
from sapling.referrals.models import ConsentBy, Referral, Route, Source

ANSWERS = "request_help"
KEY = "request_help_key"
SENT = "request_help_sent"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[SaplingForm]
    title: Promise


STEPS = [
    Step("who", forms.WhoForm, _("Who is filling in this form?")),
    Step("child", forms.PublicChildForm, _("The child's details")),
    Step("needs", forms.NeedsForm, _("What the child finds hard")),
    Step("setting", forms.SettingForm, _("Where the child spends their day")),
    Step("others", forms.OthersForm, _("Who else is involved")),
    Step("contact", forms.ContactForm, _("Your contact details")),
    Step("consent", forms.ConsentForm, _("Agreement")),
]
BY_SLUG = {step.slug: step for step in STEPS}


def public_team() -> Team | None:
    """The one team the public form files requests with (SAPLING_PUBLIC_TEAM if several)."""
    if settings.SAPLING_PUBLIC_TEAM:
        return Team.objects.filter(name=settings.SAPLING_PUBLIC_TEAM).first()
    teams = list(Team.objects.all()[:2])
    return teams[0] if len(teams) == 1 else None


def answers(session: SessionBase) -> dict[str, dict[str, Any]]:
    return dict(session.get(ANSWERS, {}))


def _to_session(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _from_session(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def step_answers(session: SessionBase, slug: str) -> dict[str, Any]:
    stored = answers(session).get(slug, {})
    return {name: _from_session(value) for name, value in stored.items()}


def save_step(session: SessionBase, slug: str, cleaned: dict[str, Any]) -> None:
    stored = answers(session)
    stored[slug] = {name: _to_session(value) for name, value in cleaned.items()}
    session[ANSWERS] = stored
    session.pop(KEY, None)  # changed answers need a fresh check before submitting


def form_kwargs(session: SessionBase, slug: str) -> dict[str, Any]:
    if slug == "contact":
        return {"filled_in_by": step_answers(session, "who").get("filled_in_by", "")}
    if slug == "consent":
        return {"label": consent_label(session)}
    return {}


def consent_label(session: SessionBase) -> str:
    who = step_answers(session, "who").get("filled_in_by", "")
    name = step_answers(session, "child").get("given_name", "")
    if young_person_decides(session):
        if who == consent.FilledInBy.YOUNG_PERSON:
            return str(
                _(
                    "I agree to ask the children's occupational therapy service for help, "
                    "and for the service to keep the details I have given"
                )
            )
        return str(
            _(
                "%(name)s is 16 or over, so they decide. %(name)s has agreed to this request "
                "and to the service keeping these details"
            )
            % {"name": name}
        )
    return str(
        _(
            "I have parental responsibility for %(name)s, and I agree to this request and to "
            "the service keeping these details"
        )
        % {"name": name}
    )


def already_sent(key: str) -> Referral | None:
    return intake.sent_with(key)


def first_unanswered(session: SessionBase) -> str | None:
    done = answers(session)
    return next((step.slug for step in STEPS if step.slug not in done), None)


def next_slug(slug: str) -> str | None:
    index = [step.slug for step in STEPS].index(slug)
    return STEPS[index + 1].slug if index + 1 < len(STEPS) else None


def previous_slug(slug: str) -> str | None:
    index = [step.slug for step in STEPS].index(slug)
    return STEPS[index - 1].slug if index > 0 else None


def consent_refusal(session: SessionBase) -> str | None:
    who = step_answers(session, "who").get("filled_in_by", "")
    born = step_answers(session, "child").get("date_of_birth")
    if not (who and isinstance(born, dt.date)):
        return None
    return consent.refusal(filled_in_by=who, date_of_birth=born, received_on=timezone.localdate())


def young_person_decides(session: SessionBase) -> bool:
    born = step_answers(session, "child").get("date_of_birth")
    if not isinstance(born, dt.date):
        return False
    needed = consent.consent_needed_from(date_of_birth=born, received_on=timezone.localdate())
    return needed == ConsentBy.YOUNG_PERSON


def submission_key(session: SessionBase) -> str:
    """The one-time key the check-answers page carries; the same until answers change."""
    if not session.get(KEY):
        session[KEY] = intake.new_submission_key()
    return str(session[KEY])


def submit(*, session: SessionBase, team: Team, key: str) -> Referral:
    """Save the answers as a referral; the key makes a second submit return the first."""
    who = step_answers(session, "who")["filled_in_by"]
    child = step_answers(session, "child")
    needs = step_answers(session, "needs")
    contact = step_answers(session, "contact")
    young_person = who == consent.FilledInBy.YOUNG_PERSON
    school = (
        School.objects.filter(team=team, name__iexact=child["school_name"].strip()).first()
        if child.get("school_name", "").strip()
        else None
    )
    carer_details = None
    if not young_person:
        carer_details = {
            "given_name": contact["given_name"].strip(),
            "family_name": contact["family_name"].strip(),
            "relationship": contact.get("relationship") or "other",
            "parental_responsibility": who == consent.FilledInBy.PARENT,
            "phone": contact["phone"],
            "email": contact["email"],
            "address": contact["address"],
            "preferred_channel": contact["contact_preference"],
            "preferred_language": contact["preferred_language"],
        }
    received_on = timezone.localdate()
    return intake.submit_referral(
        team=team,
        child_details={**{name: child[name] for name in forms.CHILD_FIELDS}, "school": school},
        referral_details={
            "received_on": received_on,
            "reasons": needs["reasons"],
            "description": needs["description"],
            "setting": step_answers(session, "setting")["setting"],
            "others_involved": step_answers(session, "others")["others_involved"],
            "school_name": child.get("school_name", ""),
            "referrer_name": f"{contact['given_name'].strip()} {contact['family_name'].strip()}",
            "referrer_role": str(consent.FilledInBy(who).label),
            "referrer_email": contact["email"],
            "referrer_phone": contact["phone"],
            "contact_preference": contact["contact_preference"],
            "consent_by": consent.consent_needed_from(
                date_of_birth=child["date_of_birth"], received_on=received_on
            ),
            "consent_given": True,
        },
        carer_details=carer_details,
        route=Route.PUBLIC_FORM,
        source=Source.YOUNG_PERSON if young_person else Source.PARENT,
        by=None,
        submission_key=key,
    )


def finish(session: SessionBase, referral: Referral) -> None:
    session.pop(ANSWERS, None)
    session.pop(KEY, None)
    session[SENT] = referral.reference
