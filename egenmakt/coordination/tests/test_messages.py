"""Messages between meetings: the client and the care team write to each other.

Who: the client on their own pages, the care team (reading with a view of the client,
writing when working jointly); another client, an outsider and another region get 404.
Every read is logged; the other side is told that there is a message, never what it says,
once per thread until they have read it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import Message, MessageRead, MessageThread
from egenmakt.coordination.selectors.messages import threads_for, unread_total
from egenmakt.coordination.services import messages as services
from egenmakt.coordination.services.retention import erase_client
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.portal.tests.factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% en kallelse\n"
SECRET = "Jag mår sämre sedan medicinbytet"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def kim(cast: Any) -> dict[str, Any]:
    client, account = invited_client(cast)
    return {"client": client, "account": account, "browser": as_client(account)}


NOTICE = "Du har ett nytt meddelande i Egenmakt"


def _notices(to: str) -> list[Any]:
    """The notices delivered to ``to`` (the outbox keeps no text once sent)."""
    return [m for m in mail.outbox if to in m.to and m.subject == NOTICE]


def test_a_thread_the_client_starts_reaches_the_care_team(cast, kim):
    response = kim["browser"].post(
        reverse("portal:message_start"), {"subject": "Om mötet", "text": SECRET}
    )
    assert response.status_code == 302
    thread = MessageThread.objects.get(client=kim["client"])
    assert thread.messages.get().by_client
    staff = as_staff(cast.case_manager)
    page = staff.get(reverse("coordination:messages", args=[kim["client"].pk])).content.decode()
    assert "Om mötet" in page and "1 oläst" in page
    page = staff.get(
        reverse("coordination:message_thread", args=[kim["client"].pk, thread.pk])
    ).content.decode()
    assert SECRET in page
    # Both case managers are told, neither is told what it says.
    for person in (cast.case_manager, cast.municipal_case_manager):
        (notice,) = _notices(person.email)
        assert SECRET not in notice.body and "Om mötet" not in notice.body
        assert SECRET not in notice.subject
    assert unread_total(kim["client"], cast.case_manager) == 0
    assert unread_total(kim["client"], cast.municipal_case_manager) == 1


def test_the_care_team_writes_and_the_client_answers(cast, kim):
    client = kim["client"]
    staff = as_staff(cast.case_manager)
    response = staff.post(
        reverse("coordination:message_start", args=[client.pk]),
        {"subject": "Inför nästa möte", "text": "Hur går det med kören?"},
    )
    assert response.status_code == 302
    thread = MessageThread.objects.get(client=client)
    (notice,) = _notices(kim["account"].user.email)
    assert "kören" not in notice.body and "/mina-sidor/logga-in/" in notice.body
    assert unread_total(client, kim["account"].user) == 1
    browser = kim["browser"]
    listing = browser.get(reverse("portal:messages")).content.decode()
    assert "Inför nästa möte" in listing
    page = browser.get(reverse("portal:message_thread", args=[thread.pk])).content.decode()
    assert "Hur går det med kören?" in page
    assert unread_total(client, kim["account"].user) == 0
    response = browser.post(
        reverse("portal:message_reply", args=[thread.pk]), {"text": "Bra, tack!"}
    )
    assert response.status_code == 302
    assert [m.text for m in thread.messages.all()] == ["Hur går det med kören?", "Bra, tack!"]
    assert unread_total(client, cast.case_manager) == 1


def test_notices_are_not_repeated_until_read(cast, kim):
    client, user = kim["client"], kim["account"].user
    thread = services.start_thread(user=cast.case_manager, client=client, subject="Ä", text="1")
    services.reply(user=cast.case_manager, thread=thread, text="2")
    services.reply(user=cast.municipal_case_manager, thread=thread, text="3")
    assert len(_notices(user.email)) == 1
    kim["browser"].get(reverse("portal:message_thread", args=[thread.pk]))
    services.reply(user=cast.case_manager, thread=thread, text="4")
    assert len(_notices(user.email)) == 2
    # A second thread is told of on its own.
    services.start_thread(user=cast.case_manager, client=client, subject="B", text="5")
    assert len(_notices(user.email)) == 3


def test_read_marks_and_unread_counts_per_reader(cast, kim):
    client, user = kim["client"], kim["account"].user
    thread = services.start_thread(user=user, client=client, subject="Fråga", text="a")
    services.reply(user=user, thread=thread, text="b")
    counts = {t.pk: t.unread for t in threads_for(client, cast.case_manager)}
    assert counts == {thread.pk: 2}
    assert {t.pk: t.unread for t in threads_for(client, user)} == {thread.pk: 0}
    services.mark_read(user=cast.case_manager, thread=thread)
    assert unread_total(client, cast.case_manager) == 0
    assert unread_total(client, cast.municipal_case_manager) == 2
    assert MessageRead.objects.filter(thread=thread).count() == 3


def test_an_emergency_reader_is_logged_but_leaves_the_message_unread(cast, kim):
    from egenmakt.coordination.services import emergency

    client, user = kim["client"], kim["account"].user
    thread = services.start_thread(user=user, client=client, subject="Kris", text=SECRET)
    emergency.open_in_emergency(
        user=cast.clinic_colleague, client=client, reason="Klienten är här i kris nu"
    )
    url = reverse("coordination:message_thread", args=[client.pk, thread.pk])
    page = as_staff(cast.clinic_colleague).get(url)
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert AccessLog.objects.filter(actor=cast.clinic_colleague, path=url).exists()
    assert not MessageRead.objects.filter(thread=thread, user=cast.clinic_colleague).exists()
    assert unread_total(client, cast.case_manager) == 1


def test_a_seat_the_consent_no_longer_covers_is_not_told(cast, kim):
    """After the consent is revoked the home organisation still reads its client's record
    (and the thread); the partner organisation does not, so it is not told either."""
    from egenmakt.coordination.models import Consent
    from egenmakt.coordination.services import consent as consent_services

    client, user = kim["client"], kim["account"].user
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=Consent.objects.get(client=client)
    )
    forget_client_access(cast.case_manager)
    mail.outbox.clear()
    services.start_thread(user=user, client=client, subject="Fråga", text=SECRET)
    assert len(_notices(cast.case_manager.email)) == 1
    assert _notices(cast.municipal_case_manager.email) == []


def test_others_get_404(cast, kim):
    client = kim["client"]
    thread = services.start_thread(
        user=cast.case_manager,
        client=client,
        subject="Inför mötet",
        text="x",
        attachment=SimpleUploadedFile("k.pdf", PDF),
    )
    message = thread.messages.get()
    _other, other_account = invited_client(cast, name="Alex Lund", email="alex@example.org")
    other = as_client(other_account)
    for url in (
        reverse("portal:message_thread", args=[thread.pk]),
        reverse("portal:message_attachment", args=[message.pk]),
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(reverse("portal:message_reply", args=[thread.pk]), {"text": "x"}).status_code
        == 404
    )
    assert SECRET not in other.get(reverse("portal:messages")).content.decode()
    assert "Inför mötet" not in other.get(reverse("portal:messages")).content.decode()
    for person in (cast.outsider_case_manager, cast.clinic_colleague):
        staff = as_staff(person)
        for url in (
            reverse("coordination:messages", args=[client.pk]),
            reverse("coordination:message_thread", args=[client.pk, thread.pk]),
            reverse("coordination:message_attachment", args=[client.pk, message.pk]),
        ):
            assert staff.get(url).status_code == 404, (person, url)
        url = reverse("coordination:message_reply", args=[client.pk, thread.pk])
        assert staff.post(url, {"text": "x"}).status_code == 404
    # Staff on the client's pages, the client on the staff's: not there.
    staff = as_staff(cast.case_manager)
    assert staff.get(reverse("portal:message_thread", args=[thread.pk])).status_code == 404
    url = reverse("coordination:message_thread", args=[client.pk, thread.pk])
    assert kim["browser"].get(url).status_code == 404
    # Another client's thread id under this client's URL: 404.
    theirs = services.start_thread(user=cast.case_manager, client=_other, subject="Deras", text="y")
    url = reverse("coordination:message_thread", args=[client.pk, theirs.pk])
    assert staff.get(url).status_code == 404
    assert kim["browser"].get(reverse("portal:message_thread", args=[theirs.pk])).status_code == 404


def test_an_attachment_of_a_wrong_type_is_refused(cast, kim):
    files_before = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    for name, content in (("program.exe", b"MZ\x90\x00"), ("brev.docx", b"PK\x03\x04x")):
        response = kim["browser"].post(
            reverse("portal:message_start"),
            {
                "subject": "Bilaga",
                "text": "Se bilagan",
                "attachment": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 400, name
        assert "Se bilagan" in response.content.decode()  # nothing typed is lost
    forged = SimpleUploadedFile("kallelse.pdf", b"not a pdf at all")
    response = as_staff(cast.case_manager).post(
        reverse("coordination:message_start", args=[kim["client"].pk]),
        {"subject": "Bilaga", "text": "x", "attachment": forged},
    )
    assert response.status_code == 400
    assert not MessageThread.objects.exists() and not Message.objects.exists()
    assert not OutgoingEmail.objects.filter(purpose="new message").exists()
    files_after = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    assert files_after == files_before


def test_attachments_download_for_the_participants_only_no_store(cast, kim):
    client = kim["client"]
    thread = services.start_thread(
        user=kim["account"].user,
        client=client,
        subject="Intyg",
        text="Här är intyget",
        attachment=SimpleUploadedFile("intyg.pdf", PDF),
    )
    message = thread.messages.get()
    staff = as_staff(cast.case_manager)
    for browser, url in (
        (staff, reverse("coordination:message_attachment", args=[client.pk, message.pk])),
        (kim["browser"], reverse("portal:message_attachment", args=[message.pk])),
    ):
        response = browser.get(url)
        assert response.status_code == 200
        assert response.content == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Disposition"].startswith("attachment;")


def test_every_read_writes_a_log_row(cast, kim):
    client, user = kim["client"], kim["account"].user
    thread = services.start_thread(user=cast.case_manager, client=client, subject="S", text="t")
    staff = as_staff(cast.case_manager)
    reads = [
        (staff, cast.case_manager, reverse("coordination:messages", args=[client.pk])),
        (
            staff,
            cast.case_manager,
            reverse("coordination:message_thread", args=[client.pk, thread.pk]),
        ),
        (kim["browser"], user, reverse("portal:messages")),
        (kim["browser"], user, reverse("portal:message_thread", args=[thread.pk])),
    ]
    for browser, actor, url in reads:
        before = AccessLog.objects.filter(actor=actor, person_id=str(client.pk)).count()
        assert browser.get(url).status_code == 200
        after = AccessLog.objects.filter(actor=actor, person_id=str(client.pk))
        assert after.count() == before + 1, url
        assert after.order_by("-pk").first().path == url


def test_writing_needs_joint_work(cast, kim):
    """Without a valid consent the other organisation's case manager reads but does not write."""
    from egenmakt.coordination.models import Consent
    from egenmakt.coordination.services.consent import revoke_consent

    client = kim["client"]
    thread = services.start_thread(user=cast.case_manager, client=client, subject="S", text="t")
    for row in Consent.objects.filter(client=client):
        revoke_consent(user=cast.case_manager, client=client, consent=row)
    for person in (cast.case_manager, cast.municipal_case_manager):
        forget_client_access(person)
    staff = as_staff(cast.case_manager)
    url = reverse("coordination:message_thread", args=[client.pk, thread.pk])
    page = staff.get(url)
    assert page.status_code == 200 and "svara/" not in page.content.decode()
    url = reverse("coordination:message_reply", args=[client.pk, thread.pk])
    assert staff.post(url, {"text": "x"}).status_code == 403
    assert thread.messages.count() == 1


def test_query_counts_stay_flat(cast, kim, django_assert_max_num_queries):
    client, user = kim["client"], kim["account"].user
    thread = services.start_thread(user=user, client=client, subject="T0", text="0")

    def many(n: int) -> None:
        for i in range(n):
            services.reply(user=cast.case_manager, thread=thread, text=f"svar {i}")
            other = services.start_thread(user=user, client=client, subject=f"T{i}", text="x")
            services.reply(user=cast.case_manager, thread=other, text="y")

    staff = as_staff(cast.case_manager)
    pages = [
        (staff, reverse("coordination:messages", args=[client.pk])),
        (staff, reverse("coordination:message_thread", args=[client.pk, thread.pk])),
        (kim["browser"], reverse("portal:messages")),
        (kim["browser"], reverse("portal:message_thread", args=[thread.pk])),
    ]
    many(2)
    counts = []
    for browser, url in pages:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    many(15)
    for (browser, url), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert browser.get(url).status_code == 200


def test_erasing_the_client_takes_the_messages_and_files(
    cast, kim, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    client = kim["client"]
    thread = services.start_thread(
        user=kim["account"].user,
        client=client,
        subject="Intyg",
        text=SECRET,
        attachment=SimpleUploadedFile("intyg.pdf", PDF),
    )
    name = thread.messages.get().attachment.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_client(client, now=timezone.now())
    assert not MessageThread.objects.exists() and not Message.objects.exists()
    assert not MessageRead.objects.exists()
    assert not default_storage.exists(name)
