"""Forms sent back with errors open on a summary that leads to each field; a wrong password
is tied to the two fields it is about; sign-up and profile fields say what they hold."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def tag(html: str, name: str) -> str:
    return re.search(rf'<(?:input|textarea|select)[^>]* name="{name}"[^>]*>', html).group(0)


def test_a_wrong_password_opens_on_a_summary_tied_to_both_fields(client):
    UserFactory(email="claire@example.org")
    html = client.post(
        reverse("account_login"), {"login": "claire@example.org", "password": "not-this-one"}
    ).content.decode()
    summary = html[
        html.index('<div class="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert '<ul class="errorlist nonfield" id="form-error"><li><a href="#id_login">' in summary
    for name in ("login", "password"):
        field = tag(html, name)
        assert re.search(r'aria-describedby="[^"]*\bform-error\b', field), field
        assert 'aria-invalid="true"' in field
    assert "aria-invalid" not in tag(html, "remember")
    assert 'src="/static/js/forms.js"' in html


def test_the_login_page_has_no_summary_before_a_mistake(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "error-summary" not in html and "aria-invalid" not in html


def test_sign_up_errors_are_listed_with_a_link_to_each_field(client):
    html = client.post(reverse("account_signup"), {"email": "not-an-email"}).content.decode()
    summary = html[
        html.index('<div class="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    for name in ("first_name", "last_name", "email", "phone", "password1", "accept_charter"):
        assert f'href="#id_{name}"' in summary, name
        assert 'aria-invalid="true"' in tag(html, name)


def test_the_sign_up_button_says_what_it_does(client):
    html = client.get(reverse("account_signup")).content.decode()
    button = re.search(r'<button type="submit">(.*?)</button>', html).group(1)
    assert unescape(button) == page_language("Create my account")


@pytest.mark.parametrize(
    "url_name, fields",
    [
        (
            "account_signup",
            {"first_name": "given-name", "last_name": "family-name", "email": "email", "phone": "tel"},
        ),
        ("profile", {"first_name": "given-name", "last_name": "family-name", "phone": "tel"}),
    ],
)
def test_personal_fields_say_what_they_hold(client, url_name, fields):
    client.force_login(UserFactory())
    if url_name == "account_signup":
        client.logout()
    html = client.get(reverse(url_name)).content.decode()
    for name, autocomplete in fields.items():
        assert f'autocomplete="{autocomplete}"' in tag(html, name), name


def test_the_profile_shows_the_phone_number_as_it_is_written_in_france(client):
    client.force_login(UserFactory(phone="+33600000001"))
    html = client.get(reverse("profile")).content.decode()
    assert 'value="06 00 00 00 01"' in tag(html, "phone")
