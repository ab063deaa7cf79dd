"""allauth's rate limits are on, and they stop a password-guessing run."""

import pytest
from django.core.cache import cache
from django.urls import reverse

import vigilance.settings
from vigilance.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_login")


def test_rate_limits_are_configured_in_the_settings_module():
    limits = vigilance.settings.ACCOUNT_RATE_LIMITS

    assert isinstance(limits, dict) and limits
    assert limits["login_failed"]
    assert limits["signup"]
    assert limits["reset_password"]


@pytest.fixture
def real_rate_limits(settings):
    """The root conftest turns rate limits off for every test; this one turns them back on."""
    settings.ACCOUNT_RATE_LIMITS = vigilance.settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def attempt(client, password):
    return client.post(URL, {"login": "claire@example.org", "password": password})


def test_login_is_refused_after_too_many_failed_attempts_even_with_the_right_password(
    client, real_rate_limits
):
    UserFactory(email="claire@example.org")

    for _ in range(5):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    response = attempt(client, "correct-horse-battery")

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_without_failed_attempts_the_right_password_logs_in(client, real_rate_limits):
    UserFactory(email="claire@example.org")

    response = attempt(client, "correct-horse-battery")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
