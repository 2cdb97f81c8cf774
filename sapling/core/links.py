"""Where each kind of secure link leads.

A link is `/l/<token>/`. Opening it checks the token, keeps the link's id in the session
under its purpose, and redirects to the page registered for that purpose, so the token
never stays in the address bar, the history or a Referer header. Apps register their
destinations in AppConfig.ready().
"""

from __future__ import annotations

from django.http import HttpRequest

# purpose -> URL name of the page that answers links of that purpose.
DESTINATIONS: dict[str, str] = {}


def register_destination(purpose: str, url_name: str) -> None:
    DESTINATIONS[purpose] = url_name


def session_key(purpose: str) -> str:
    return f"secure_link:{purpose}"


def link_id_in_session(request: HttpRequest, purpose: str) -> int | None:
    """The id of the link of this purpose the visitor opened, if any."""
    value = request.session.get(session_key(purpose))
    return value if isinstance(value, int) else None
