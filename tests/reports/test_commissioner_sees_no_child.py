"""No page, download or API a commissioner can reach shows a child.

Every URL pattern in the resolver is walked, its path parameters filled from real records
of the commissioner's own team (the permission matrix's builders make them), and fetched
as the commissioner: each must redirect within the site (to log in, or to another page
walked here) or show nothing that identifies any of the team's children.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.reports.filters import Quarter
from tests.conftest import logged_in
from tests.core.test_permission_matrix import BUILDERS, MATRIX, POST_ONLY
from tests.permission_objects import Objects

# Parameters of patterns the permission matrix does not build: pages anyone may open
# (a family's secure link, the public request form), and the Django admin, which sends
# anyone who is not staff to its own login page.
FILL_BY_PARAMETER = {
    "token": "not-a-real-token",
    "step": "who",
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "app_label": "children",
    "url": "nothing-here/",
}
# Public pages about one record that the matrix leaves out: built from the team's records.
FILL_BY_NAME: dict[str, Callable[[Objects], str]] = {
    "booking:book_run": lambda o: reverse("booking:book_run", args=[o["group_run"]]),
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(qualified name, full route) of every pattern, in every namespace."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, prefix + str(pattern.pattern)


def every_pattern() -> list[tuple[str, str]]:
    return list(walk(get_resolver()))


def parameters(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def fill(route: str) -> str | None:
    """The route with each parameter filled by FILL_BY_PARAMETER; None if one is unknown."""
    if any(name not in FILL_BY_PARAMETER for name in parameters(route)):
        return None
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: FILL_BY_PARAMETER[m[1]], route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: FILL_BY_PARAMETER[m[1]], path)
    return "/" + path.replace("^", "").replace("$", "")


def built_by_the_matrix(objects: Objects) -> dict[str, list[str]]:
    """{qualified URL name: URLs} for every page the permission matrix builds from records
    (a download in two formats is two URLs)."""
    urls: dict[str, list[str]] = {}
    for _page, build_url, _roles in MATRIX + POST_ONLY:
        url = build_url(objects)
        urls.setdefault(resolve(url.split("?")[0]).view_name, []).append(url)
    return urls


def urls_to_visit(objects: Objects) -> tuple[list[tuple[str, str]], list[str]]:
    """(route, URL) for every pattern, and the routes the walk could not fill."""
    from_matrix = built_by_the_matrix(objects)
    urls: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for name, route in every_pattern():
        if name in FILL_BY_NAME:
            from_matrix[name] = [FILL_BY_NAME[name](objects)]
        filled: list[str | None] = [*from_matrix.get(name, [])] or [fill(route)]
        for url in filled:
            if url is None:
                unfilled.append(f"{name} {route}")
            else:
                urls.append((route, url))
    return urls, unfilled


def readable(body: bytes) -> str:
    """A response as text; a spreadsheet (a zip of XML) unpacked first."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return body.decode(errors="replace")


def identifiers(child: Child) -> list[str]:
    """Every way a page could show this child."""
    born = child.date_of_birth
    nhs = child.nhs_number
    return [
        child.given_name,
        child.family_name,
        nhs,
        f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        child.postcode,
        child.postcode.replace(" ", ""),
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        f"{born.day} {born:%B %Y}",
        f"{born.day} {born:%b %Y}",
    ]


def make_every_child_distinctive(team: Team) -> list[Child]:
    """Names, numbers, birthdays and postcodes no page would show by chance."""
    children = list(Child.objects.filter(team=team))
    for n, child in enumerate(children):
        child.given_name = f"Zephyrine{n}x"
        child.family_name = f"Quillfeather{n}x"
        child.nhs_number = f"{9434765900 + n}"
        child.date_of_birth = dt.date(2014, 2, 27) - dt.timedelta(days=n)
        child.postcode = f"SA9 {n}ZQ"
        child.save()
    return children


@pytest.mark.django_db
def test_the_walk_fills_every_url_pattern(team: Team) -> None:
    _urls, unfilled = urls_to_visit(Objects(team, BUILDERS))
    assert not unfilled, (
        "Fill these in FILL_BY_PARAMETER, or add them to the permission matrix: "
        + "; ".join(unfilled)
    )


def children_shown(user: User, urls: list[tuple[str, str]], children: list[Child]) -> list[str]:
    """Each URL fetched as `user`, and every identifier of a child it shows."""
    client = logged_in(user)
    shown = []
    for route, url in urls:
        response = client.get(url)
        if response.status_code in (301, 302):
            # To log in, or to another of the pages walked here.
            resolve(response["Location"].split("?")[0])
            continue
        # Whatever else comes back (a page, a download, not found, a form switched off),
        # it must name no child.
        body = b"".join(response) if response.streaming else response.content
        text = readable(body)
        shown += [f"{route} shows {v}" for c in children for v in identifiers(c) if v in text]
    return shown


@pytest.mark.django_db
def test_no_url_a_commissioner_can_reach_shows_a_child(team: Team, commissioner: User) -> None:
    urls, _unfilled = urls_to_visit(Objects(team, BUILDERS))
    children = make_every_child_distinctive(team)
    assert len(children) >= 5  # records of every kind hang off real children
    assert children_shown(commissioner, urls, children) == []


@pytest.mark.django_db
def test_the_walk_finds_children_where_a_lead_may_see_them(team: Team, lead: User) -> None:
    urls, _unfilled = urls_to_visit(Objects(team, BUILDERS))
    children = make_every_child_distinctive(team)
    shown = children_shown(lead, urls, children)
    assert any(line.startswith("children/<int:pk>/ shows Zephyrine") for line in shown)


@pytest.mark.django_db
def test_the_commissioners_own_pages_are_among_those_walked(team: Team) -> None:
    urls, _unfilled = urls_to_visit(Objects(team, BUILDERS))
    quarter = Quarter.last_complete(timezone.localdate()).slug
    visited = {url for _route, url in urls}
    assert reverse("reports:show_commissioner_tables") in visited
    for file_format in ("csv", "xlsx"):
        download = reverse("reports:download_commissioner_tables", args=[quarter, file_format])
        assert download in visited
