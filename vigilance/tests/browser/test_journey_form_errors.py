"""A form sent back with errors opens on its summary: read out (role="alert"), focused, each
error a link to its field; a wrong password is tied to the email and password fields."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.tests.factories import UserFactory

from .helpers import form_with, snapshot, submit

pytestmark = pytest.mark.browser


def violations(page) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]]


def test_a_failed_login_opens_on_a_focused_summary_tied_to_the_fields(new_page):
    person = UserFactory()
    page = new_page()
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", "not-the-password")
    submit(page, form_with(page, "input[name=login]"))

    summary = page.locator("main [role=alert][data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    assert summary.bounding_box()["y"] < page.viewport_size["height"]
    error_id = summary.locator(".errorlist.nonfield").get_attribute("id")
    for name in ("login", "password"):
        field = page.locator(f"input[name={name}]")
        assert error_id in field.get_attribute("aria-describedby").split()
        assert field.get_attribute("aria-invalid") == "true"
    snapshot(page, "login-error-mobile")
    assert violations(page) == []

    page.keyboard.press("Tab")  # from the summary to its link, which leads to the email field
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_login"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "login"


def test_a_sign_up_with_mistakes_lists_them_all_with_links(new_page):
    page = new_page()
    page.goto(reverse("account_signup"))
    page.fill("input[name=email]", "not-an-email")
    submit(page, form_with(page, "input[name=email]"))
    summary = page.locator("main [role=alert][data-error-summary]")
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    for name in ("first_name", "last_name", "email", "phone", "password1", "accept_charter"):
        assert summary.locator(f"a[href='#id_{name}']").count() == 1, name
    summary.locator("a[href='#id_accept_charter']").click()
    assert page.evaluate("document.activeElement.name") == "accept_charter"
    snapshot(page, "signup-errors-mobile")
    assert violations(page) == []
