from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from egenmakt.portal.views.sign_in import LINK_REQUEST_RATE
from egenmakt.scale.pages import FLOOR_USERS, ROLES, Scope, bench_account, bench_pages


class Command(BaseCommand):
    help = (
        "Benchmark mode only: give region 1 of the scale data sign-in accounts per bench role "
        "(password and a confirmed TOTP device, as any real user; a client's portal login "
        "with a one-time link; a personal API token where the role reads the API) and "
        "write them, with the pages to drive, to a JSON file for bench/locustfile.py."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="Where to write the JSON (mode 600).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EGENMAKT_BENCH:
            raise CommandError(
                "bench_logins hands out sign-in secrets: only with EGENMAKT_BENCH=1."
            )
        try:
            scope = Scope()
        except Exception as exc:  # a database without scale data
            raise CommandError(f"No scale data here (run generate_scale first): {exc}") from exc
        password = secrets.token_urlsafe(24)
        hashed = make_password(password)
        roles: dict[str, Any] = {}
        with transaction.atomic():
            for role, bench_role in ROLES.items():
                # One more account than users: isolated.py signs in with the last one (a
                # client's link and a TOTP code are each good once).
                accounts = [
                    bench_account(scope, role, n, hashed)[1] for n in range(bench_role.users + 1)
                ]
                roles[role] = {"users": bench_role.users, "accounts": accounts}
            pages, skipped = bench_pages(scope)
        for name in skipped:
            self.stdout.write(f"Skipped the page {name!r}: its address does not resolve here.")
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(
                {
                    "password": password,
                    "floor_users": FLOOR_USERS,
                    # For bench/nodes.py: the limit it shows holding across two servers.
                    "link_request_rate": LINK_REQUEST_RATE,
                    "roles": roles,
                    "pages": pages,
                },
                handle,
                indent=2,
            )
        made = sum(len(r["accounts"]) for r in roles.values())
        users = sum(r["users"] for r in roles.values())
        self.stdout.write(f"{made} bench accounts for {users} signed-in users, {out}")
