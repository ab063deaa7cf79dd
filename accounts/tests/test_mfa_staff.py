"""Every account with staff or superuser rights signs in with two-factor, as role holders do:
no admin page, nor any other, before the authenticator app is set up, and no way round the
site's login (and its second step) through the admin's own login form."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory, enable_totp, totp_code

pytestmark = pytest.mark.django_db
SETUP = reverse("mfa_activate_totp")
PASSWORD = "correct-horse-battery"
ADMIN_RIGHTS = {"staff": {"is_staff": True}, "superuser": {"is_staff": True, "is_superuser": True}}


@pytest.fixture(params=ADMIN_RIGHTS, ids=ADMIN_RIGHTS)
def staff(request):
    """An account with admin rights and no other role."""
    return UserFactory(**ADMIN_RIGHTS[request.param])


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/accounts/user/", "/admin/shop/order/", "/profile/", "/shop/", "/communes/"],
)
def test_staff_without_2fa_are_sent_to_set_it_up_from_every_page(client, staff, url):
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_staff_without_2fa_cannot_change_anything_in_the_admin(client, staff):
    resident = UserFactory(first_name="Léna")
    client.force_login(staff)
    change = reverse("admin:accounts_user_change", args=[resident.id])
    response = client.post(change, {"email": resident.email, "first_name": "Changé"})
    assert response["Location"].startswith(SETUP)
    resident.refresh_from_db()
    assert resident.first_name == "Léna"


def test_with_2fa_staff_reach_the_admin(client, staff):
    enable_totp(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_staff_may_still_open_the_set_up_page(client, staff):
    client.force_login(staff)
    response = client.get(SETUP)
    # allauth may first ask for the password again; either way, not sent round in a loop
    assert not response.get("Location", "").startswith(SETUP)


def test_the_admin_login_asks_staff_for_the_code(client, staff):
    enable_totp(staff)
    login_page = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert login_page["Location"].startswith(reverse("account_login"))
    response = client.post(login_page["Location"], {"login": staff.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(staff.id)
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_password_posted_to_the_admin_login_logs_nobody_in(client, staff):
    enable_totp(staff)
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_signed_in_staff_member_cannot_become_another_with_a_password_alone(client, staff):
    """The admin's login form, shown to someone already signed in, would switch accounts on a
    password alone."""
    superuser = UserFactory(is_staff=True, is_superuser=True, email="root@vigilance.example")
    enable_totp(superuser, "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
    enable_totp(staff)
    client.force_login(staff)
    login = reverse("admin:login")
    client.get(login)
    response = client.post(login, {"username": superuser.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.id)


def test_a_signed_in_staff_member_is_sent_on_from_the_admin_login(client, staff):
    enable_totp(staff)
    client.force_login(staff)
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response["Location"] == "/admin/accounts/user/"
    elsewhere = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert elsewhere["Location"] == reverse("admin:index")


def test_a_resident_is_refused_the_admin_login():
    resident = Client()
    resident.force_login(UserFactory())
    assert resident.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 403
