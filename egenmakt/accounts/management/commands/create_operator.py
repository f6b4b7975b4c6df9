"""Create (or promote) a platform operator and print their single-use invitation link."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from egenmakt.accounts.services import invite_operator


class Command(BaseCommand):
    help = (
        "Create a platform operator (superuser) without a password, or promote an existing "
        "account, and print a single-use link that sets the password and the second factor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True, help="The operator's e-mail address.")
        parser.add_argument("--name", required=True, help="The operator's full name.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        name = str(options["name"]).strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email!r}") from error
        if not name:
            raise CommandError("Give the operator's full name with --name.")
        url = invite_operator(email=email, full_name=name)
        self.stdout.write(
            f"Operator {email} is ready. Open this link (once, within the invitation's "
            f"validity) to choose a password and set up the authenticator app:\n{url}"
        )
