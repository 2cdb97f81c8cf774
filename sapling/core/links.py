"""Where each kind of secure link leads.

A link is `/l/<token>/`. Opening it checks the token, keeps the link's id in the session
under its purpose, and redirects to the page registered for that purpose, so the token
never stays in the address bar, the history or a Referer header. Apps register their
destinations in AppConfig.ready().
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import Promise

# purpose -> URL name of the page that answers links of that purpose.
DESTINATIONS: dict[str, str] = {}
# purpose -> (heading, sentence) shown when a single-use link of that purpose is opened
# again, in the purpose's own words ("We have already received your topic").
USED_WORDING: dict[str, tuple[str | Promise, str | Promise]] = {}


def register_destination(
    purpose: str, url_name: str, *, used: tuple[str | Promise, str | Promise] | None = None
) -> None:
    DESTINATIONS[purpose] = url_name
    if used is not None:
        USED_WORDING[purpose] = used


def session_key(purpose: str) -> str:
    return f"secure_link:{purpose}"


def link_id_in_session(request: HttpRequest, purpose: str) -> int | None:
    """The id of the link of this purpose the visitor opened, if any."""
    value = request.session.get(session_key(purpose))
    return value if isinstance(value, int) else None
