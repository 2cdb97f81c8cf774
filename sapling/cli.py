"""The `sapling` command: the service's management commands under short names.

sapling demo            migrate, load the demo service, print logins and serve it
sapling serve           serve on 127.0.0.1:8000 (SAPLING_PORT to change)
sapling migrate         apply database migrations and create the cache table
sapling import-areas    load small areas, deprivation and postcodes
sapling load-demo       (re)build the synthetic demo service (--reset, --seed, --children)
sapling send-due        send every due message: waiting-well links, resources, letters
sapling snapshot-waitlist  keep this week's waiting-list snapshot for trends
sapling relookup-areas  look up children saved as "area unknown" after loading postcodes
sapling simulate --scenario FILE [--json]  project a waiting-list scenario
sapling <other>         any other Django management command
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "demo": ["demo"],
    "serve": ["serve"],
    "migrate": ["setup_database"],
    "import-areas": ["import_areas"],
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapling.settings")
    if args and args[0] == "demo":
        # The demo is a local, development service by definition.
        os.environ.setdefault("SAPLING_ENV", "development")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    from django.core.management import execute_from_command_line

    command = COMMANDS.get(args[0], [args[0].replace("-", "_")])
    execute_from_command_line(["sapling", *command, *args[1:]])


if __name__ == "__main__":
    main()
