"""Journey 1: a visitor signs up, confirms their email, logs out and in, resets their password."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from .helpers import (
    form_with,
    is_logged_in,
    last_email_to,
    link_in,
    log_in,
    log_out,
    path_of,
    snapshot,
    submit,
    unlabelled_fields,
)

pytestmark = pytest.mark.browser

EMAIL = "camille.durand@example.org"
PASSWORD = "Lilas-et-glycines-2024"
NEW_PASSWORD = "Tilleuls-et-marronniers-2025"


def fill_signup(page, *, email=EMAIL, phone="06 12 34 56 78"):
    page.goto(reverse("account_signup"))
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_first_name", "Camille")
    page.fill("#id_last_name", "Durand")
    page.fill("#id_phone", phone)
    page.check("#id_accept_charter")


def sign_up(page, **fields):
    fill_signup(page, **fields)
    submit(page, form_with(page, "#id_email"))


def test_visitor_signs_up_confirms_email_and_accepts_charter(page):
    page.goto(reverse("home"))
    assert page.locator("a[href='tel:17']").is_visible()
    assert page.locator("a[href='tel:112']").is_visible()
    snapshot(page, "home")
    page.keyboard.press("Tab")  # the first key press offers to skip the navigation, visibly
    skip_link = page.locator("a.skip-link:focus")
    assert skip_link.get_attribute("href") == "#main"
    assert skip_link.is_visible() and skip_link.bounding_box()["x"] >= 0
    assert skip_link.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    fill_signup(page)
    assert unlabelled_fields(page) == []
    snapshot(page, "signup")
    submit(page, form_with(page, "#id_email"))
    assert path_of(page) == reverse("account_email_verification_sent")
    user = User.objects.get(email=EMAIL)
    assert not EmailAddress.objects.get(user=user).verified

    page.goto(link_in(last_email_to(EMAIL), "/accounts/confirm-email/\\S+/"))
    submit(page, page.locator("main form"))
    assert is_logged_in(page)
    user.refresh_from_db()
    assert str(user.phone) == "+33612345678"
    assert (user.first_name, user.last_name) == ("Camille", "Durand")
    assert user.charter_accepted_at is not None
    assert EmailAddress.objects.get(user=user).verified

    log_out(page)
    assert not is_logged_in(page)
    log_in(page, EMAIL, PASSWORD)
    assert is_logged_in(page)
    log_out(page)

    page.goto(reverse("account_reset_password"))
    page.fill("input[name=email]", EMAIL)
    submit(page, form_with(page, "input[name=email]"))
    assert path_of(page) == reverse("account_reset_password_done")
    page.goto(link_in(last_email_to(EMAIL), "/accounts/password/reset/key/\\S+/"))
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page, form_with(page, "input[name=password1]"))
    assert path_of(page) == reverse("account_reset_password_from_key_done")
    log_in(page, EMAIL, NEW_PASSWORD)
    assert is_logged_in(page)


def test_signup_with_an_invalid_phone_shows_an_error_and_creates_no_user(page):
    sign_up(page, phone="12 34")
    assert path_of(page) == reverse("account_signup")
    assert page.locator("#id_phone[aria-invalid=true]").is_visible()
    with translation.override("fr"):  # the message that shows how to write a number
        expected = translation.gettext("Enter a valid mobile phone number, for example 06 12 34 56 78.")
    assert expected in page.locator("main").inner_text()
    assert not User.objects.filter(email=EMAIL).exists()


def test_signup_with_a_registered_email_does_not_reveal_it(page, resident):
    sign_up(page)
    assert path_of(page) == reverse("account_email_verification_sent")
    fresh_page_text = page.locator("main").inner_text().replace(EMAIL, "<email>")

    sign_up(page, email=resident.email.upper())
    assert path_of(page) == reverse("account_email_verification_sent")
    assert page.locator("main").inner_text().replace(resident.email, "<email>") == fresh_page_text
    assert User.objects.filter(email__iexact=resident.email).count() == 1
    assert User.objects.count() == 2  # the resident and Camille, nobody else


def test_password_reset_for_an_unknown_email_looks_like_a_known_one(page, resident):
    page.goto(reverse("account_reset_password"))
    page.fill("input[name=email]", resident.email)
    submit(page, form_with(page, "input[name=email]"))
    known = (path_of(page), page.locator("main").inner_text())

    page.goto(reverse("account_reset_password"))
    page.fill("input[name=email]", "nobody@example.org")
    submit(page, form_with(page, "input[name=email]"))
    assert (path_of(page), page.locator("main").inner_text()) == known
    assert len(mail.outbox) == 2  # allauth tells the unknown address that it has no account
