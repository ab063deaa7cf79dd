"""allauth's rate limits are on, and they stop a password-guessing run."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import vigilance.settings
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_login")


def test_rate_limits_are_configured_in_the_settings_module():
    limits = vigilance.settings.ACCOUNT_RATE_LIMITS

    assert isinstance(limits, dict) and limits
    assert limits["login_failed"]
    assert limits["signup"]
    assert limits["reset_password"]


@pytest.fixture
def real_rate_limits(settings, private_cache):
    """The root conftest turns rate limits off for every test; this one turns them back on.

    The counts live in the cache: a private in-memory one, emptied first, keeps earlier
    attempts out (`private_cache`).
    """
    settings.ACCOUNT_RATE_LIMITS = vigilance.settings.ACCOUNT_RATE_LIMITS


def error_codes(response) -> set[str]:
    return {error.code for errors in response.context["form"].errors.as_data().values() for error in errors}


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def attempt(client, password):
    return client.post(URL, {"login": "claire@example.org", "password": password})


def test_login_is_refused_after_too_many_failed_attempts_even_with_the_right_password(
    client, real_rate_limits
):
    UserFactory(email="claire@example.org")
    for _ in range(5):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200
        assert "too_many_login_attempts" not in error_codes(response)

    response = attempt(client, "correct-horse-battery")

    assert response.status_code == 200
    assert "too_many_login_attempts" in error_codes(response)
    assert (
        escape(page_language("Too many failed login attempts. Try again later.")) in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_with_rate_limits_off_the_right_password_still_works_after_failures(client):
    UserFactory(email="claire@example.org")
    for _ in range(6):
        attempt(client, "wrong-password")

    response = attempt(client, "correct-horse-battery")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_without_failed_attempts_the_right_password_logs_in(client, real_rate_limits):
    UserFactory(email="claire@example.org")

    response = attempt(client, "correct-horse-battery")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
