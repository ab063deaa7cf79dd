"""Journey: a role account sent to set up the authenticator app from the page it asked for
gets there once the app is set up and the recovery codes are kept; a staff member's first
login asks for the password once, not again before the set-up."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.tests.factories import UserFactory, totp_code
from neighbourhoods.models import NeighbourhoodReferent

from .helpers import PASSWORD, form_with, log_in, path_of, snapshot, submit

pytestmark = pytest.mark.browser


def visited(page) -> list[str]:
    """Every address the page is shown, in order, from now on."""
    paths: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and paths.append(path_of(page)))
    return paths


def set_up_the_app(page) -> None:
    assert path_of(page).startswith(reverse("mfa_activate_totp"))
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert path_of(page).startswith(reverse("mfa_view_recovery_codes"))
    assert len(page.locator("#recovery_codes").input_value().split()) >= 10


def test_a_referent_lands_where_they_were_going_after_the_set_up(new_page, community, resident):
    NeighbourhoodReferent.objects.create(neighbourhood=community.neighbourhood, user=resident)
    resident.is_referent = True
    resident.save(update_fields=["is_referent"])
    referent_home = reverse("neighbourhoods:referent_home")
    page = new_page()
    paths = visited(page)
    log_in(page, resident.email)
    page.goto(referent_home)
    set_up_the_app(page)
    snapshot(page, "two-factor-recovery-codes-continue")
    with page.expect_navigation():
        page.click("main a#continue")
    assert path_of(page) == referent_home
    assert not [p for p in paths if p.startswith(reverse("account_reauthenticate"))]


def test_a_staff_members_first_login_asks_the_password_once_and_ends_in_the_admin(new_page):
    staff = UserFactory(is_staff=True, is_superuser=True)
    page = new_page()
    paths = visited(page)
    page.goto(reverse("admin:index"))
    assert path_of(page).startswith(reverse("account_login"))
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, form_with(page, "input[name=login]"))
    set_up_the_app(page)  # straight to the set-up: no second password
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    with page.expect_navigation():
        page.click("main a#continue")
    assert path_of(page) == reverse("admin:index")
    assert not [p for p in paths if p.startswith(reverse("account_reauthenticate"))]
    assert sum(p.startswith(reverse("account_login")) for p in paths) == 1
