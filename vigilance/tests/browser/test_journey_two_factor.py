"""Journey: a resident named referent, and the platform superuser, must set up an authenticator
app before using their rights; from then on every login, the admin's included, asks for the
app's code."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory, totp_code
from alerts.models import Alert
from alerts.tests.factories import AlertFactory
from neighbourhoods.models import NeighbourhoodReferent
from neighbourhoods.services import absence_declare

from .helpers import PASSWORD, form_with, is_logged_in, log_in, log_out, path_of, snapshot, submit

pytestmark = pytest.mark.browser


def past_reauthentication(page) -> None:
    """allauth may ask for the password again before a security change."""
    if path_of(page).startswith(reverse("account_reauthenticate")):
        page.fill("input[name=password]", PASSWORD)
        submit(page, form_with(page, "input[name=password]"))


def a_wrong_code(secret: str) -> str:
    valid = {totp_code(secret, step=step) for step in (-1, 0, 1)}
    return next(code for code in ("123456", "654321", "000000") if code not in valid)


def type_login(page, email: str, *, via: str) -> None:
    page.goto(via)
    assert path_of(page).startswith(reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, form_with(page, "input[name=login]"))


def test_a_new_referent_sets_up_the_authenticator_app_and_then_logs_in_with_its_code(
    new_page, community, resident
):
    NeighbourhoodReferent.objects.create(neighbourhood=community.neighbourhood, user=resident)
    resident.is_referent = True
    resident.save(update_fields=["is_referent"])
    referent_home = reverse("neighbourhoods:referent_home")
    page = new_page()
    log_in(page, resident.email)  # no code asked yet: the app is not set up
    assert is_logged_in(page)

    page.goto(referent_home)
    assert page.locator("main .message-warning").count() == 1  # told why, on the first page shown
    past_reauthentication(page)
    assert path_of(page).startswith(reverse("mfa_activate_totp"))
    snapshot(page, "two-factor-setup-mobile")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", a_wrong_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert path_of(page).startswith(reverse("mfa_activate_totp"))  # a wrong code sets nothing up
    assert not Authenticator.objects.filter(user=resident).exists()
    assert page.locator("#authenticator_secret").input_value() == secret  # the same secret, to retry
    page.fill("input[name=code]", totp_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert Authenticator.objects.filter(user=resident, type=Authenticator.Type.TOTP).exists()
    # allauth then shows the recovery codes, for the day the phone is lost
    assert path_of(page).startswith(reverse("mfa_view_recovery_codes"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) >= 10 and all(len(code) == 8 for code in codes)
    snapshot(page, "two-factor-recovery-codes-mobile")
    assert page.goto(referent_home).status == 200
    assert path_of(page) == referent_home

    log_out(page)
    assert not is_logged_in(page)
    type_login(page, resident.email, via=reverse("account_login"))
    assert path_of(page).startswith(reverse("mfa_authenticate"))
    assert not is_logged_in(page)  # the password alone does not log in
    page.fill("input[name=code]", a_wrong_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert path_of(page).startswith(reverse("mfa_authenticate"))
    assert not is_logged_in(page)
    page.fill("input[name=code]", totp_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert is_logged_in(page)
    assert page.goto(referent_home).status == 200
    assert path_of(page) == referent_home

    # The Django admin has no login of its own: it is the site's, with the same second step.
    visitor = new_page()
    type_login(visitor, resident.email, via=reverse("admin:login"))
    assert path_of(visitor).startswith(reverse("mfa_authenticate"))
    assert not is_logged_in(visitor)


def test_a_police_officer_without_the_app_is_sent_to_set_it_up_before_the_admin(new_page, community):
    officer = UserFactory(
        is_staff=True, official_role="police", official_commune=community.neighbourhood.commune
    )
    page = new_page()
    log_in(page, officer.email)
    page.goto(reverse("admin:index"))
    past_reauthentication(page)
    assert path_of(page).startswith(reverse("mfa_activate_totp"))
    page.goto(reverse("admin:alerts_alert_add"))
    past_reauthentication(page)
    assert path_of(page).startswith(reverse("mfa_activate_totp"))


def test_the_platform_superuser_sets_up_the_app_before_the_admin_and_its_login_asks_the_code(new_page):
    superuser = UserFactory(is_staff=True, is_superuser=True)  # as `make run`'s admin@demo account
    page = new_page()
    log_in(page, superuser.email)  # no code asked yet: the app is not set up
    assert is_logged_in(page)

    page.goto(reverse("admin:index"))
    assert page.locator("main .message-warning").count() == 1  # told why, not left at the admin
    past_reauthentication(page)
    assert path_of(page).startswith(reverse("mfa_activate_totp"))
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert Authenticator.objects.filter(user=superuser, type=Authenticator.Type.TOTP).exists()
    assert path_of(page).startswith(reverse("mfa_view_recovery_codes"))
    assert page.goto(reverse("admin:index")).status == 200
    assert path_of(page) == reverse("admin:index")

    visitor = new_page()
    type_login(visitor, superuser.email, via=reverse("admin:index"))
    assert path_of(visitor).startswith(reverse("mfa_authenticate"))
    assert not is_logged_in(visitor)  # the password alone does not open the admin
    visitor.fill("input[name=code]", totp_code(secret))
    submit(visitor, form_with(visitor, "input[name=code]"))
    assert path_of(visitor) == reverse("admin:index")  # back where the superuser was going


@pytest.fixture
def referent_without_the_app(community):
    user = UserFactory(commune=community.neighbourhood.commune)
    NeighbourhoodReferent.objects.create(neighbourhood=community.neighbourhood, user=user)
    user.is_referent = True
    user.save(update_fields=["is_referent"])
    return user


def test_a_referent_without_the_app_is_not_shown_the_absences_confided_to_referents(
    new_page, community, resident, referent_without_the_app
):
    today = timezone.localdate()
    absence = absence_declare(
        user=resident, community_id=community.id, starts_on=today, ends_on=today + timedelta(days=10)
    )
    page = new_page(user=referent_without_the_app)
    page.goto(reverse("neighbourhoods:watch"))
    assert page.locator(f"main [data-absence='{absence.id}']").count() == 0
    assert resident.get_full_name() not in page.locator("main").inner_text()


def test_a_referent_without_the_app_cannot_read_a_confidential_police_notice(
    new_page, community, referent_without_the_app
):
    notice = AlertFactory(
        commune=community.neighbourhood.commune,
        communities=[community],
        kind=Alert.Kind.NOTICE,
        description="Repérages signalés rue des Lilas : merci de redoubler d'attention.",
    )
    page = new_page(user=referent_without_the_app)
    page.goto(reverse("alerts:detail", args=[notice.id]))
    assert "Repérages signalés rue des Lilas" not in page.locator("body").inner_text()
