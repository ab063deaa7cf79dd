"""Login limits count real clients behind the proxy, and lock out the guesser, not the owner."""

import re

import pytest
from django.core import mail
from django.urls import reverse

import vigilance.settings
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_login")
PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
OWNER = "192.0.2.20"
RIGHT = "correct-horse-battery"


@pytest.fixture(autouse=True)
def real_rate_limits(settings, private_cache):
    """The root conftest turns rate limits off; this puts the project's own back, on a private cache."""
    settings.ACCOUNT_RATE_LIMITS = vigilance.settings.ACCOUNT_RATE_LIMITS


@pytest.fixture
def claire():
    return UserFactory(email="claire@example.org")


def login(client, password, *, peer, forwarded=None, email="claire@example.org"):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(URL, {"login": email, "password": password}, **headers)


def locked(response) -> bool:
    if response.status_code == 429:
        return True
    form = response.context and response.context.get("form")
    return bool(form) and any(
        error.code == "too_many_login_attempts"
        for errors in form.errors.as_data().values()
        for error in errors
    )


def logged_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


def through_proxy(client, password, *, client_ip, spoofed=None, email="claire@example.org"):
    """A request as nginx forwards it: whatever the client sent, then the address nginx saw."""
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return login(client, password, peer=PROXY, forwarded=forwarded, email=email)


def test_behind_one_proxy_spoofed_addresses_do_not_block_another_client(client, settings, claire):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="other@example.org")
    for i in range(12):
        through_proxy(
            client, "wrong", client_ip=ATTACKER, spoofed=f"198.51.100.{i}", email="other@example.org"
        )

    response = through_proxy(client, RIGHT, client_ip=OWNER)

    assert logged_in(response, client)


def test_behind_one_proxy_the_attacker_gets_no_fresh_budget_from_spoofed_addresses(settings, client, claire):
    settings.TRUSTED_PROXY_COUNT = 1
    responses = [
        through_proxy(
            client, "wrong", client_ip=ATTACKER, spoofed=f"198.51.100.{i}", email=f"u{i}@example.org"
        )
        for i in range(11)
    ]

    assert not any(locked(response) for response in responses[:10])
    assert locked(responses[10])
    assert locked(through_proxy(client, RIGHT, client_ip=ATTACKER, spoofed="198.51.100.200"))


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings, client, claire):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(10):
        login(client, "wrong", peer=ATTACKER, forwarded=f"198.51.100.{i}", email=f"u{i}@example.org")

    response = login(client, RIGHT, peer=ATTACKER, forwarded=OWNER)

    assert locked(response)
    assert not logged_in(response, client)


def test_wrong_passwords_from_an_attacker_do_not_lock_the_owner_out(client, claire):
    for _ in range(6):
        login(client, "wrong", peer=ATTACKER)

    response = login(client, RIGHT, peer=OWNER)

    assert logged_in(response, client)


def test_the_attacker_stays_locked_out_of_the_account_it_guessed(client, claire):
    attempts = [login(client, "wrong", peer=ATTACKER) for _ in range(5)]
    login(client, RIGHT, peer=OWNER)
    client.logout()

    assert not any(locked(response) for response in attempts)
    response = login(client, RIGHT, peer=ATTACKER)
    assert locked(response)
    assert not logged_in(response, client)


def test_guessing_spread_over_many_addresses_locks_the_account_until_a_password_reset(client, claire):
    cap = int(vigilance.settings.ACCOUNT_RATE_LIMITS["login_failed_account"].split("/")[0])
    for i in range(cap):
        assert not locked(login(client, "wrong", peer=f"198.51.{i // 4}.{i % 4 + 1}"))
    assert locked(login(client, RIGHT, peer=OWNER))

    reset_password(client, "claire@example.org", "a-new-long-passphrase", peer=OWNER)

    assert logged_in(login(client, "a-new-long-passphrase", peer=OWNER), client)


def reset_password(client, email, new_password, *, peer):
    client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=peer)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, REMOTE_ADDR=peer)["Location"]
    response = client.post(form_url, {"password1": new_password, "password2": new_password}, REMOTE_ADDR=peer)
    assert response.status_code == 302, response.content


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_no_server_error(settings, client, claire):
    settings.TRUSTED_PROXY_COUNT = 2

    response = login(client, RIGHT, peer=PROXY, forwarded=OWNER)

    assert logged_in(response, client)


@pytest.mark.parametrize("forwarded", ["", " , ", "198.51.100.1, [2001:db8::1]", "x, 192.0.2.20:51234"])
def test_forwarded_headers_of_any_shape_get_an_answer(settings, client, claire, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1

    response = login(client, RIGHT, peer=PROXY, forwarded=forwarded)

    assert logged_in(response, client)


def test_a_trusted_hop_that_is_no_address_is_refused_not_a_server_error(settings, client, claire):
    settings.TRUSTED_PROXY_COUNT = 1

    response = login(client, RIGHT, peer=PROXY, forwarded="198.51.100.1, not-an-address\x00")

    assert response.status_code == 403
