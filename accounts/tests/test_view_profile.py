"""The profile page: name, mobile phone and what other members may see."""

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("profile")


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


@pytest.fixture
def user(client):
    user = UserFactory(first_name="Claire", last_name="Martin", phone="+33611111111")
    client.force_login(user)
    return user


def post(client, **overrides):
    data = {"first_name": "Claire", "last_name": "Martin", "phone": "06 11 11 11 11", **overrides}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_valid_profile_is_saved_with_the_phone_in_e164(client, user):
    response = post(client, first_name="Clara", phone="06 22 22 22 22", show_phone="on")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Clara"
    assert str(user.phone) == "+33622222222"
    assert user.show_phone is True
    assert user.show_email is False


@pytest.mark.parametrize("phone", ["12345", "06 12 34", "not a phone"])
def test_invalid_phone_is_refused_with_a_clear_message(client, user, phone):
    response = post(client, phone=phone, first_name="Changed")

    assert response.status_code == 200
    message = page_language("Enter a valid mobile phone number, for example 06 12 34 56 78.")
    assertFormError(response.context["form"], "phone", [message])
    assert message in unescape(response.content.decode())  # however the quote is escaped
    user.refresh_from_db()
    assert str(user.phone) == "+33611111111"
    assert user.first_name == "Claire"


def test_landline_is_refused_because_texts_cannot_reach_it(client, user):
    response = post(client, phone="01 40 20 50 50")

    assert response.status_code == 200
    message = page_language("This is not a mobile phone number: text messages cannot reach it.")
    assertFormError(response.context["form"], "phone", [message])
    assert message in unescape(response.content.decode())  # however the quote is escaped
    user.refresh_from_db()
    assert str(user.phone) == "+33611111111"


def test_changing_the_phone_on_the_page_requires_verifying_it_again(client, user):
    assert user.phone_verified_at is not None

    post(client, phone="06 22 22 22 22")

    user.refresh_from_db()
    assert str(user.phone) == "+33622222222"
    assert user.phone_verified_at is None


def test_saving_with_the_same_phone_keeps_it_verified(client, user):
    post(client, phone="06 11 11 11 11", first_name="Clara")

    user.refresh_from_db()
    assert user.first_name == "Clara"
    assert user.phone_verified_at is not None


def test_email_and_staff_status_cannot_be_changed_from_the_page(client, user):
    post(client, email="hacker@example.org", is_staff="on", is_superuser="on")

    user.refresh_from_db()
    assert user.email != "hacker@example.org"
    assert user.is_staff is False
    assert user.is_superuser is False


@pytest.mark.parametrize(
    "char",
    [
        "\u202e",
        "\u202d",
        "\u200b",
        "\u200f",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ufeff",
        "\x1b",
        "\x7f",
    ],
)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_with_an_invisible_character_is_refused(client, user, field, char):
    response = post(client, **{field: f"Cla{char}ra"})

    assert response.status_code == 200
    message = page_language(
        "Names may not contain invisible or control characters; please type the name again."
    )
    assert message in response.context["form"].errors[field]
    assert message in unescape(response.content.decode())  # however the quote is escaped
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Claire", "Martin")


@pytest.mark.parametrize("official", ["police_officer", "mayor_office"])
def test_police_and_town_hall_accounts_save_their_profile_without_a_phone(client, request, official):
    account = request.getfixturevalue(official)
    client.force_login(account)

    response = post(client, first_name="Gaëlle", phone="")

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.first_name == "Gaëlle"
    assert str(account.phone) == ""
    assert account.phone_verified_at is None


def test_a_resident_still_needs_a_mobile_phone(client, user):
    response = post(client, first_name="Clara", phone="")

    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    user.refresh_from_db()
    assert user.first_name == "Claire"
    assert str(user.phone) == "+33611111111"
