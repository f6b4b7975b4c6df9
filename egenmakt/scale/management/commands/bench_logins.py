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
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts.models import User
from egenmakt.scale.context import EMAIL_DOMAIN
from egenmakt.scale.pages import FLOOR_USERS, ROLES, Scope, bench_pages


class Command(BaseCommand):
    help = (
        "Benchmark mode only: give region 1 of the scale data sign-in accounts per bench role "
        "(password and a confirmed TOTP device, as any real user) and write them, with the "
        "pages to drive, to a JSON file for bench/locustfile.py."
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
                accounts = []
                for n in range(bench_role.users):
                    user, created = User.objects.get_or_create(
                        email=f"bench.{role}.{n + 1}@{EMAIL_DOMAIN}",
                        defaults={"full_name": f"Bench {role} {n + 1}"},
                    )
                    if created:
                        bench_role.grant(scope, user)
                    user.password = hashed
                    user.save(update_fields=["password"])
                    TOTPDevice.objects.filter(user=user).delete()
                    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
                    accounts.append({"email": user.email, "totp_key": device.key})
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
                    "roles": roles,
                    "pages": pages,
                },
                handle,
                indent=2,
            )
        self.stdout.write(f"{sum(r['users'] for r in roles.values())} bench accounts, {out}")
