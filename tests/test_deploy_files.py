"""The operations guide and the deploy files keep up with the settings they describe."""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "sapling" / "settings.py"
OPERATIONS = ROOT / "docs" / "operations.md"
ENV_EXAMPLE = ROOT / "deploy" / "sapling.env.example"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


def _names_read(path: Path, is_reader: Callable[[ast.expr], bool]) -> set[str]:
    """The constant first arguments of every call that `is_reader` accepts."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and is_reader(node.func)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def settings_variables() -> set[str]:
    """Every variable sapling/settings.py reads through env_str/env_bool/env_int/env_list."""
    return _names_read(SETTINGS, lambda f: isinstance(f, ast.Name) and f.id in ENV_READERS)


def gunicorn_variables() -> set[str]:
    """Every variable deploy/gunicorn.conf.py reads with os.environ.get."""
    return _names_read(
        GUNICORN_CONF,
        lambda f: (
            isinstance(f, ast.Attribute)
            and f.attr == "get"
            and isinstance(f.value, ast.Attribute)
            and f.value.attr == "environ"
        ),
    )


def table_variables() -> set[str]:
    """Variables with a row of their own in the operations guide's settings table."""
    text = OPERATIONS.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.MULTILINE))


def example_variables() -> set[str]:
    """Variables given a value in deploy/sapling.env.example."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_settings_parser_finds_the_variables() -> None:
    found = settings_variables()
    assert {"SAPLING_ENV", "SAPLING_SECRET_KEY", "SAPLING_ALLOWED_HOSTS", "DATABASE_URL"} <= found
    assert {"SAPLING_GUNICORN_WORKERS", "SAPLING_GUNICORN_BIND"} <= gunicorn_variables()


@pytest.mark.parametrize(
    ("where", "documented"),
    [("docs/operations.md table", table_variables), ("sapling.env.example", example_variables)],
)
def test_every_variable_is_documented(where: str, documented: Callable[[], set[str]]) -> None:
    missing = (settings_variables() | gunicorn_variables()) - documented()
    assert not missing, f"not documented in {where}: {sorted(missing)}"


@pytest.mark.parametrize(
    ("where", "documented"),
    [("docs/operations.md table", table_variables), ("sapling.env.example", example_variables)],
)
def test_no_variable_is_documented_that_nothing_reads(
    where: str, documented: Callable[[], set[str]]
) -> None:
    stale = documented() - settings_variables() - gunicorn_variables()
    assert not stale, f"{where} documents variables nothing reads: {sorted(stale)}"


def _gunicorn_conf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sapling_gunicorn_conf", GUNICORN_CONF)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("peer", "real_ip", "expected"),
    [
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # from nginx: the client nginx saw
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not the proxy: header ignored
        ("127.0.0.1", "not-an-address", "127.0.0.1"),  # nonsense ignored
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_gunicorn_takes_the_client_address_only_from_the_local_proxy(
    peer: str, real_ip: str, expected: str
) -> None:
    seen: dict[str, str] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen["REMOTE_ADDR"] = environ["REMOTE_ADDR"]
        return [b""]

    wrapped = _gunicorn_conf().client_address_from_proxy(app)
    wrapped({"REMOTE_ADDR": peer, "HTTP_X_REAL_IP": real_ip}, lambda *args: None)
    assert seen["REMOTE_ADDR"] == expected


def test_gunicorn_listens_on_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAPLING_GUNICORN_BIND", raising=False)
    assert _gunicorn_conf().bind == ["127.0.0.1:8001"]
