from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.accounts.roles import Role
from egenmakt.demo.cast import DEMO_PASSWORD, cast_keys, login_email, seed_demo_region


class Command(BaseCommand):
    help = "Create or update the demo region and one user for every role (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list the logins.")
        parser.add_argument(
            "--only-logins",
            action="store_true",
            help="Seed nothing new; list the logins (make run prints them last, after the "
            "e-mails the seed queued are delivered).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["only_logins"]:
            self._logins(seed_demo_region())
            return
        cast = seed_demo_region()
        from egenmakt.demo.peer import seed_demo_course, seed_demo_recruitment
        from egenmakt.demo.programme import seed_demo_programme

        seed_demo_recruitment(cast)
        seed_demo_course(cast)
        seed_demo_programme(cast)
        from egenmakt.demo.influence import seed_demo_influence

        seed_demo_influence(cast)
        from egenmakt.demo.coordination import seed_demo_coordination

        seed_demo_coordination(cast)
        from egenmakt.demo.portal import seed_demo_portal

        seed_demo_portal(cast)
        if options["quiet_logins"]:
            return
        self._logins(cast)

    def _logins(self, cast: Any) -> None:
        from egenmakt.demo.peer import demo_course_participant
        from egenmakt.demo.portal import demo_client_email, seed_demo_portal

        portal = seed_demo_portal(cast)
        self.stdout.write(
            self.style.SUCCESS("Demo region ready. Sign in at http://127.0.0.1:8000/")
        )
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        for person_key, role, _org in cast_keys():
            if person_key.startswith("outsider_"):
                continue
            user = cast.people[person_key]
            self.stdout.write(
                f"  {Role(role).label:<22} {login_email(person_key):<42} {user.full_name}"
            )
        participant = demo_course_participant()
        if participant is not None:
            self.stdout.write(
                f"  {'Course participant':<22} {participant.email:<42} {participant.full_name}"
            )
        if portal is not None:
            self.stdout.write(
                f"  {'Client (own pages)':<22} {demo_client_email():<42} {portal.client.full_name}"
            )
        self.stdout.write("Outsiders in Region Nordmark: nordmark.<role>@egenmakt.example")
