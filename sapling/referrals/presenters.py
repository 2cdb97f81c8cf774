"""Shape referrals into rows for the NHS.UK summary list and table macros."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.children.models import Channel, Relationship
from sapling.children.presenters import deprivation_text
from sapling.core.validators import format_nhs_number
from sapling.referrals import consent
from sapling.referrals.models import OccupationalArea, Referral, Setting, Status


def _row(key: str, value: Any, href: str = "", hidden: str = "") -> dict[str, Any]:
    text = "" if value is None else str(value)
    row: dict[str, Any] = {"key": {"text": key}, "value": {"text": text or _("Not given")}}
    if href:
        row["actions"] = {
            "items": [{"href": href, "text": _("Change"), "visuallyHiddenText": hidden or key}]
        }
    return row


def reasons_text(codes: list[str]) -> str:
    labels = dict(OccupationalArea.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def _date(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def referral_rows(referral: Referral) -> list[dict[str, Any]]:
    area = referral  # the snapshot has the same field names as the child's record
    return [
        _row(_("Reference"), referral.reference),
        _row(_("Status"), referral.get_status_display()),
        _row(_("Date received"), _date(referral.received_on)),
        _row(_("How it arrived"), referral.get_route_display()),
        _row(_("Who referred"), referral.get_source_display()),
        _row(_("What the child finds hard"), reasons_text(referral.reasons)),
        _row(_("In their words"), referral.description),
        _row(_("Where"), referral.get_setting_display()),
        _row(_("School or setting named"), referral.school_name),
        _row(_("Who else is involved"), referral.others_involved),
        _row(
            _("Referrer"),
            ", ".join(
                part
                for part in (
                    referral.referrer_name,
                    referral.referrer_role,
                    referral.referrer_organisation,
                    referral.referrer_email,
                    referral.referrer_phone,
                )
                if part
            ),
        ),
        _row(_("Contact preference"), _channel(referral.contact_preference)),
        _row(
            _("Consent"),
            (_("Given by %(who)s") % {"who": referral.get_consent_by_display().lower()})
            if referral.consent_given
            else _("Not recorded"),
        ),
        _row(_("Postcode when referred"), referral.postcode),
        _row(_("Deprivation when referred"), deprivation_text(area)),  # type: ignore[arg-type]
    ]


def _channel(code: str) -> str:
    return str(dict(Channel.choices).get(code, code))


def event_rows(referral: Referral) -> list[list[dict[str, str]]]:
    rows = []
    for event in referral.events.select_related("by"):
        moved = (
            Status(event.to_status).label
            if event.from_status == ""
            else f"{Status(event.from_status).label} → {Status(event.to_status).label}"
            if event.from_status != event.to_status
            else Status(event.to_status).label
        )
        rows.append(
            [
                {"text": timezone.localtime(event.at).strftime("%-d %b %Y %H:%M")},
                {"text": str(event.by or _("The requester"))},
                {"text": str(moved)},
                {"text": event.note},
            ]
        )
    return rows


def comparison_rows(children: list[Any]) -> list[list[dict[str, Any]]]:
    """One row per detail, one column per record, for comparing possible duplicates."""
    details = [
        (_("Name"), lambda c: c.full_name),
        (_("Date of birth"), lambda c: _date(c.date_of_birth)),
        (_("NHS number"), lambda c: format_nhs_number(c.nhs_number)),
        (_("Postcode"), lambda c: c.postcode),
        (_("School"), lambda c: c.school or ""),
        (_("Added"), lambda c: timezone.localtime(c.created_at).strftime("%-d %b %Y")),
    ]
    return [
        [{"text": str(label), "header": True}] + [{"text": str(get(c) or "")} for c in children]
        for label, get in details
    ]


def partner_status(referral: Referral) -> str:
    """What a school may know: where the request is, never why or any clinical detail."""
    if referral.status == Status.RECEIVED:
        return _("Received")
    if referral.status in {Status.WITHDRAWN, Status.CLOSED}:
        return _("Closed")
    if referral.status != Status.WAITING:
        return _("Triaged")
    entry = _waitlist_entry(referral)
    if entry is None:
        return _("Triaged")
    if entry.status == "seen":
        return _("Seen")
    if entry.status == "ended":
        return _("Closed")
    if entry.status == "allocated" and entry.tier == "targeted":
        return _("Offered a group")
    from sapling.waitlist.clock import weeks_waited

    weeks = weeks_waited(entry)
    return _("Waiting (%(weeks)s completed weeks)") % {"weeks": weeks}


def _waitlist_entry(referral: Referral) -> Any:
    try:
        return referral.waitlist_entry
    except ObjectDoesNotExist:  # not on the waiting list (yet)
        return None


def check_answer_rows(stored: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The public form's answers, each with a link back to the question that asked it."""

    def change(slug: str) -> str:
        return reverse("request_help:answer_question", args=[slug]) + "?return=check"

    who = stored.get("who", {})
    child = stored.get("child", {})
    needs = stored.get("needs", {})
    contact = stored.get("contact", {})
    relationship = dict(Relationship.choices).get(contact.get("relationship", ""), "")
    born = child.get("date_of_birth", "")
    return [
        _row(
            _("Who you are"),
            dict(consent.FilledInBy.choices).get(who.get("filled_in_by", ""), ""),
            change("who"),
        ),
        _row(
            _("Child's name"),
            f"{child.get('given_name', '')} {child.get('family_name', '')}",
            change("child"),
        ),
        _row(_("Date of birth"), _date(_iso(born)), change("child"), _("date of birth")),
        _row(
            _("NHS number"),
            format_nhs_number(child.get("nhs_number", "")),
            change("child"),
            _("NHS number"),
        ),
        _row(_("Postcode"), child.get("postcode", ""), change("child"), _("postcode")),
        _row(_("School, nursery or college"), child.get("school_name", ""), change("child")),
        _row(_("Finds hard"), reasons_text(needs.get("reasons", [])), change("needs")),
        _row(_("In your words"), needs.get("description", ""), change("needs")),
        _row(
            _("Where"),
            dict(Setting.choices).get(stored.get("setting", {}).get("setting", ""), ""),
            change("setting"),
        ),
        _row(
            _("Who else is involved"),
            stored.get("others", {}).get("others_involved", ""),
            change("others"),
        ),
        _row(
            _("Your name"),
            f"{contact.get('given_name', '')} {contact.get('family_name', '')}"
            + (f" ({relationship})" if relationship else ""),
            change("contact"),
        ),
        _row(
            _("Contact by"),
            _channel(contact.get("contact_preference", "")),
            change("contact"),
            _("how we contact you"),
        ),
        _row(_("Phone"), contact.get("phone", ""), change("contact"), _("phone")),
        _row(_("Email"), contact.get("email", ""), change("contact"), _("email")),
        _row(_("Address"), contact.get("address", ""), change("contact"), _("address")),
    ]


def _iso(value: Any) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else value
    except ValueError:
        return value
