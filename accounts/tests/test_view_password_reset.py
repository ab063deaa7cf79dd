"""Asking for a password reset does not reveal whether an account exists."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_reset_password")


def test_unknown_email_gets_the_same_answer_as_a_known_one(client):
    UserFactory(email="known@example.org")

    known = client.post(URL, {"email": "known@example.org"})
    unknown = client.post(URL, {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_only_the_known_account_receives_a_reset_link(client):
    UserFactory(email="known@example.org")

    client.post(URL, {"email": "known@example.org"})
    client.post(URL, {"email": "nobody@example.org"})

    to_known = [m for m in mail.outbox if m.to == ["known@example.org"]]
    to_unknown = [m for m in mail.outbox if m.to == ["nobody@example.org"]]
    assert len(to_known) == 1
    assert "/accounts/password/reset/key/" in to_known[0].body
    assert all("/accounts/password/reset/key/" not in m.body for m in to_unknown)
