"""The client's address behind our proxies (TRUSTED_PROXY_HOPS), and everything keyed on it."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.core.network import UNKNOWN_ADDRESS, client_ip, client_ip_for_limits
from egenmakt.peer.models import Application
from egenmakt.peer.tests.factories import make_round
from egenmakt.peer.tests.test_public_views import FORM

PROXY = "192.0.2.10"
ALVA = "203.0.113.7"
BERTIL = "198.51.100.23"


def request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxy_hops_a_forwarded_header_is_ignored():
    assert client_ip(request(forwarded="203.0.113.99")) == PROXY


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_one_hop_takes_the_entry_our_proxy_wrote():
    assert client_ip(request(forwarded=ALVA)) == ALVA


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_entries_a_client_adds_on_the_left_change_nothing():
    forged = client_ip(request(forwarded=f"10.0.0.1, 127.0.0.1, {ALVA}"))
    honest = client_ip(request(forwarded=ALVA))
    assert forged == honest == ALVA


@override_settings(TRUSTED_PROXY_HOPS=2)
def test_two_hops_take_the_address_the_edge_proxy_saw():
    # Client (forging one entry) → edge proxy 192.0.2.1 → our proxy → the app.
    assert client_ip(request(forwarded=f"10.9.9.9, {ALVA}, 192.0.2.1")) == ALVA


@override_settings(TRUSTED_PROXY_HOPS=2)
def test_a_header_shorter_than_the_hops_falls_back_to_the_connection():
    # Not through both proxies (say, straight to the inner one): nothing in it is ours.
    assert client_ip(request(forwarded=ALVA)) == PROXY


@pytest.mark.parametrize(
    "header",
    ["", " ", ",", "not-an-address", "203.0.113.7, junk", "999.1.1.1", "\x00", "a" * 5000],
)
@override_settings(TRUSTED_PROXY_HOPS=1)
def test_a_malformed_header_falls_back_to_the_connection(header):
    assert client_ip(request(forwarded=header)) == PROXY


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("  203.0.113.7  ", "203.0.113.7"),
    ],
)
@override_settings(TRUSTED_PROXY_HOPS=1)
def test_ports_and_brackets_are_dropped(header, expected):
    assert client_ip(request(forwarded=header)) == expected


def test_a_unix_socket_without_hops_has_no_address_and_limits_share_one_key():
    no_address = request(remote="")
    assert client_ip(no_address) is None
    assert client_ip_for_limits(no_address) == UNKNOWN_ADDRESS


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HOPS=1)
def test_two_applicants_behind_one_proxy_are_limited_each_on_their_own(client, cast):
    """Finding 5: behind the proxy every post counted against the proxy's address."""
    round_ = make_round(cast)
    url = reverse("peer_public:apply", args=[round_.public_key])

    def post(who: str, n: int, forged: str = "") -> int:
        header = f"{forged}, {who}" if forged else who
        form = {**FORM, "email": f"{n}-{who}@example.org"}
        return client.post(url, form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header).status_code

    # Alva uses up her five applications an hour, then is held back...
    assert [post(ALVA, n) for n in range(5)] == [302] * 5
    assert post(ALVA, 5) == 429
    # ...and inventing other addresses on the left of the header does not free her.
    assert post(ALVA, 6, forged="10.1.2.3") == 429
    # Bertil, behind the same proxy, can still apply.
    assert post(BERTIL, 0) == 302
    assert Application.objects.filter(round=round_).count() == 6


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HOPS=1)
def test_the_access_log_and_sign_in_attempts_record_the_client_behind_the_proxy(client, cast):
    round_ = make_round(cast)
    url = reverse("peer_public:apply", args=[round_.public_key])
    response = client.post(url, FORM, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.6.6.6, {ALVA}")
    assert response.status_code == 302
    assert AccessLog.objects.filter(path=url).latest("pk").ip_address == ALVA

    client.post(
        reverse("accounts:login"),
        {"username": cast.coordinator.email, "password": "wrong-password-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=BERTIL,
    )
    assert AccessAttempt.objects.filter(ip_address=BERTIL).exists()
