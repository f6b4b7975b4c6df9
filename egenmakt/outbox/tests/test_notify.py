"""notify: the channel each person chose per kind, the fallbacks, and nothing for "none"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from egenmakt.core.notifications import NotificationKind
from egenmakt.core.registry import KINDS
from egenmakt.outbox.models import OutgoingEmail, OutgoingSms
from egenmakt.outbox.notify import Recipient, notification_kinds, notify
from egenmakt.outbox.services import set_notification_channels
from egenmakt.outbox.sms import LocmemBackend

pytestmark = pytest.mark.django_db

KIND = "course_reminder"


def send(recipient: Recipient) -> str:
    return notify(
        recipient=recipient,
        kind=KIND,
        subject="Påminnelse",
        body="Kursdag i morgon. Logga in: https://x",
        sms="Kursdag i morgon: https://x",
        purpose="test",
    )


@pytest.fixture(autouse=True)
def _empty() -> None:
    mail.outbox.clear()
    LocmemBackend.outbox.clear()


def test_the_kind_is_registered():
    assert "notification_kinds" in KINDS
    kinds = {kind.key: kind for kind in notification_kinds()}
    assert kinds[KIND] == NotificationKind(key=KIND, label=kinds[KIND].label, audience="staff")
    assert KIND not in {kind.key for kind in notification_kinds("client")}
    assert KIND in {kind.key for kind in notification_kinds("staff")}
    # A kind for everyone is offered on both settings pages.
    assert "booking" in {kind.key for kind in notification_kinds("client")}
    assert "booking" in {kind.key for kind in notification_kinds("staff")}


def test_without_a_choice_the_kinds_default_is_used(cast):
    who = Recipient(email="a@example.org", phone="0701234567", user_id=cast.case_manager.pk)
    assert send(who) == "email"
    assert [m.to for m in mail.outbox] == [["a@example.org"]] and not LocmemBackend.outbox


def test_sms_is_sent_when_chosen(cast):
    set_notification_channels(user_id=cast.case_manager.pk, channels={KIND: "sms"})
    who = Recipient(email="a@example.org", phone="070-123 45 67", user_id=cast.case_manager.pk)
    assert send(who) == "sms"
    assert LocmemBackend.outbox == [("+46701234567", "Kursdag i morgon: https://x")]
    assert not mail.outbox
    assert OutgoingSms.objects.get().purpose == "test"


def test_none_sends_nothing(cast):
    set_notification_channels(user_id=cast.case_manager.pk, channels={KIND: "none"})
    who = Recipient(email="a@example.org", phone="0701234567", user_id=cast.case_manager.pk)
    assert send(who) == "none"
    assert not mail.outbox and not LocmemBackend.outbox
    assert not OutgoingEmail.objects.exists() and not OutgoingSms.objects.exists()


def test_sms_chosen_without_a_number_falls_back_to_email(cast):
    set_notification_channels(user_id=cast.case_manager.pk, channels={KIND: "sms"})
    assert send(Recipient(email="a@example.org", user_id=cast.case_manager.pk)) == "email"


def test_sms_chosen_without_a_provider_falls_back_to_email(cast):
    set_notification_channels(user_id=cast.case_manager.pk, channels={KIND: "sms"})
    who = Recipient(email="a@example.org", phone="0701234567", user_id=cast.case_manager.pk)
    with override_settings(SMS_BACKEND="egenmakt.outbox.sms.DisabledBackend"):
        assert send(who) == "email"


def test_no_account_email_first_then_sms_then_nothing():
    assert send(Recipient(email="a@example.org", phone="0701234567")) == "email"
    assert send(Recipient(phone="0701234567")) == "sms"
    assert send(Recipient()) == "none"
    assert send(Recipient(phone="inte ett nummer")) == "none"
    assert len(mail.outbox) == 1 and len(LocmemBackend.outbox) == 1


def test_an_unknown_kind_is_an_error():
    with pytest.raises(LookupError):
        notify(
            recipient=Recipient(email="a@example.org"),
            kind="no_such_kind",
            subject="x",
            body="x",
            sms="x",
            purpose="test",
        )


def test_a_kind_with_a_wrong_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        NotificationKind(key="x", label="x", audience="everyone")
