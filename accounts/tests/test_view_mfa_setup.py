"""Setting up the authenticator app: a role account sent to it from the page it asked for gets
there once the app is set up, and a fresh login is enough to set it up (no second password)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
SETUP = reverse("mfa_activate_totp")
CODES = reverse("mfa_view_recovery_codes")


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def log_in(client, user, next_url="/admin/"):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == next_url
    return response


def secret_of(response) -> str:
    return response.context["form"].secret


def test_a_staff_members_first_login_leads_to_the_set_up_without_asking_the_password_again(client, staff):
    log_in(client, staff)
    sent = client.get("/admin/")
    assert sent["Location"] == f"{SETUP}?next=%2Fadmin%2F"
    setup = client.get(sent["Location"])
    assert setup.status_code == 200  # not sent to account_reauthenticate
    assert 'name="next" value="/admin/"' in setup.content.decode()


def test_a_session_not_signed_in_here_recently_is_still_asked_the_password(client, staff):
    client.force_login(staff)  # no login recorded in the session
    response = client.get(SETUP)
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_after_the_set_up_the_recovery_codes_lead_to_where_the_person_was_going(client, staff):
    log_in(client, staff)
    setup = client.get(client.get("/admin/")["Location"])
    done = client.post(SETUP, {"code": totp_code(secret_of(setup)), "next": "/admin/"})
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert done["Location"] == f"{CODES}?next=%2Fadmin%2F"
    codes = client.get(done["Location"])
    assert codes.status_code == 200
    assert 'id="continue"' in codes.content.decode() and 'href="/admin/"' in codes.content.decode()
    assert client.get("/admin/").status_code == 200


def test_a_next_to_another_site_is_dropped(client, staff):
    log_in(client, staff)
    setup = client.get(SETUP, {"next": "https://evil.example/"})
    assert 'name="next" value="https://evil.example/"' not in setup.content.decode()
    done = client.post(SETUP, {"code": totp_code(secret_of(setup)), "next": "https://evil.example/"})
    assert done["Location"] == CODES
    assert 'id="continue"' not in client.get(CODES, {"next": "https://evil.example/"}).content.decode()


def test_without_next_the_set_up_ends_on_the_recovery_codes(client, staff):
    log_in(client, staff, next_url="/accounts/2fa/")
    setup = client.get(SETUP)
    done = client.post(SETUP, {"code": totp_code(secret_of(setup))})
    assert done["Location"] == CODES
