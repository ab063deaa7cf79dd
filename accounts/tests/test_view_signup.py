"""Signing up through allauth's /accounts/signup/ with Vigilance's extra fields."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_signup")


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def signup(client, **overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "claire.martin@example.org",
        "phone": "06 12 34 56 78",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
        "accept_charter": "on",
        **overrides,
    }
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_signup_page_shows_the_charter_box(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="accept_charter"' in response.content.decode()
    assert reverse("charter") in response.content.decode()


def test_signup_stores_names_phone_in_e164_and_charter_acceptance(client):
    response = signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="claire.martin@example.org")
    assert (user.first_name, user.last_name) == ("Claire", "Martin")
    assert str(user.phone) == "+33612345678"
    assert user.charter_accepted_at is not None


def test_signup_sends_a_verification_email(client):
    signup(client)

    assert [m.to for m in mail.outbox] == [["claire.martin@example.org"]]


def test_signup_without_the_charter_is_refused_and_creates_no_user(client):
    response = signup(client, accept_charter=None)

    assert response.status_code == 200
    message = page_language("You must accept the charter to join Vigilance.")
    assertFormError(response.context["form"], "accept_charter", [message])
    assert escape(message) in response.content.decode()
    assert not User.objects.filter(email="claire.martin@example.org").exists()


def test_signup_with_a_landline_is_refused(client):
    response = signup(client, phone="01 40 20 50 50")

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not User.objects.filter(email="claire.martin@example.org").exists()


def test_signup_with_an_invalid_phone_says_how_to_write_one(client):
    response = signup(client, phone="12")

    assert response.status_code == 200
    message = page_language("Enter a valid mobile phone number, for example 06 12 34 56 78.")
    assertFormError(response.context["form"], "phone", [message])
    assert not User.objects.exists()


def test_duplicate_email_gets_the_same_answer_as_a_new_signup(client):
    UserFactory(email="taken@example.org", first_name="Premier")
    new = signup(client, email="fresh@example.org")
    client.logout()

    duplicate = signup(client, email="taken@example.org", first_name="Second")

    assert duplicate.status_code == new.status_code == 302
    assert duplicate["Location"] == new["Location"]
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert User.objects.get(email="taken@example.org").first_name == "Premier"


def test_duplicate_email_with_other_capitals_creates_no_second_account(client):
    UserFactory(email="taken@example.org")

    signup(client, email="Taken@Example.org")

    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
