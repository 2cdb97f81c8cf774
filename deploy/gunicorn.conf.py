"""Gunicorn settings for Sapling, for use behind nginx on the same machine.

    gunicorn --config deploy/gunicorn.conf.py sapling.wsgi:application

Sapling's own settings come from the environment (see deploy/sapling.env.example); the two
variables read here only size and place the web server.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable
from typing import Any

# Loopback only: nginx is the only thing that talks to gunicorn.
bind = [os.environ.get("SAPLING_GUNICORN_BIND", "127.0.0.1:8001")]

# Synchronous workers; about 2 x CPU cores + 1 is the usual starting point.
workers = int(os.environ.get("SAPLING_GUNICORN_WORKERS", "3"))
worker_class = "sync"
timeout = 60  # long work belongs in the task queue, not in a request
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (see nginx-sapling.conf)
max_requests = 1000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 100

# The proxies whose X-Forwarded-* headers are believed: nginx on this machine only.
forwarded_allow_ips = "127.0.0.1,::1"
# Only the one header nginx sets (and overwrites); Django reads it through
# SECURE_PROXY_SSL_HEADER. Fewer headers, fewer ways for a client to confuse them.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs go to stdout/stderr, which systemd sends to the journal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SAPLING_LOG_LEVEL", "INFO").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "sapling"

_TRUSTED_PROXIES = [
    ipaddress.ip_network(address.strip())
    for address in forwarded_allow_ips.split(",")
    if address.strip()
]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _from_trusted_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in _TRUSTED_PROXIES)


def client_address_from_proxy(app: WSGIApp) -> WSGIApp:
    """Make REMOTE_ADDR the client's address, as nginx saw it, not nginx's own.

    Gunicorn's forwarded_allow_ips only governs the scheme headers: REMOTE_ADDR stays the
    socket peer, which behind nginx is always 127.0.0.1. Django-axes (login lockout by
    user name and address) and the audit trail need the real client, so when a request
    comes from a trusted proxy, take the address nginx put in X-Real-IP (nginx overwrites
    that header with $remote_addr, so a client cannot choose it).
    """

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        real_ip = environ.get("HTTP_X_REAL_IP", "").strip()
        if real_ip and _from_trusted_proxy(environ.get("REMOTE_ADDR", "")):
            try:
                ipaddress.ip_address(real_ip)
            except ValueError:
                pass
            else:
                environ["REMOTE_ADDR"] = real_ip
        return app(environ, start_response)

    return wrapped


def post_worker_init(worker: Any) -> None:
    """Gunicorn hook: wrap each worker's application once it is loaded."""
    worker.wsgi = client_address_from_proxy(worker.wsgi)
