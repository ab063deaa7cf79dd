"""The two-factor check costs no query for a session signed in with the authenticator app, and
those who must use the app cannot turn it off."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _sign_in_with_the_app(client, user):
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": 0}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_a_session_signed_in_with_the_app_is_not_checked_again(client, referent):
    _sign_in_with_the_app(client, referent)
    assert not [sql for sql in _queries(client, reverse("profile")) if "mfa_authenticator" in sql]


def test_a_session_without_the_app_step_is_checked(client, referent):
    client.force_login(referent)  # as after setting the app up, before signing in with it
    assert [sql for sql in _queries(client, reverse("profile")) if "mfa_authenticator" in sql]


def test_a_resident_is_never_checked(client, resident):
    client.force_login(resident)
    assert not [sql for sql in _queries(client, reverse("profile")) if "mfa_authenticator" in sql]


def test_a_referent_cannot_turn_the_app_off(referent):
    for authenticator in Authenticator.objects.filter(user=referent):
        assert get_adapter().can_delete_authenticator(authenticator) is False


def test_a_resident_may_turn_the_app_off(resident):
    from accounts.tests.factories import enable_totp

    enable_totp(resident)
    authenticator = Authenticator.objects.get(user=resident, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(authenticator) is True
