"""Steps the journeys share: they select by field names, ids and URLs, never by UI text."""

import os
import re
from pathlib import Path

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Locator, Page

PASSWORD = "correct-horse-battery"  # the password of every UserFactory user
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def form_with(page: Page, selector: str) -> Locator:
    """The form that holds the element matching `selector`."""
    return page.locator(f"form:has({selector})")


def submit(page: Page, form: Locator, button: str = "[type=submit]:not([form])") -> None:
    """Clicks the form's (first) submit button and waits for the next page to load."""
    with page.expect_navigation():
        form.locator(button).first.click()


def log_in(page: Page, email: str, password: str = PASSWORD, *, next_url: str = "") -> None:
    """Logs in through the form; accounts with two-factor sign-in (referents, police, town
    halls) then type the code of their authenticator app."""
    page.goto(reverse("account_login") + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit(page, form_with(page, "input[name=login]"))
    if path_of(page).startswith(reverse("mfa_authenticate")):
        from accounts.tests.factories import totp_code

        for step in (0, 1):  # a code works once: a second login in the same 30 s takes the next one
            page.fill("input[name=code]", totp_code(step=step))
            submit(page, form_with(page, "input[name=code]"))
            if not path_of(page).startswith(reverse("mfa_authenticate")):
                break


def open_menu(page: Page) -> None:
    """On a small screen the header's menu is folded behind its "Menu" button: opens it."""
    button = page.locator("header [data-menu-button]")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()


def log_out(page: Page) -> None:
    open_menu(page)
    submit(page, page.locator(f"form[action='{reverse('account_logout')}']"))


def is_logged_in(page: Page) -> bool:
    return page.locator(f"header form[action='{reverse('account_logout')}']").count() == 1


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def last_email_to(address: str):
    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no email to {address}; outbox: {[m.to for m in mail.outbox]}"
    return sent[-1]


def link_in(message, path_pattern: str) -> str:
    match = re.search(rf"https?://\S+?{path_pattern}", message.body)
    assert match, f"no link matching {path_pattern} in:\n{message.body}"
    return match.group(0)


def unlabelled_fields(page: Page) -> list[str]:
    """Visible form fields with no accessible label: each one is an accessibility bug."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
            .filter(el => el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.name || el.id)"""
    )


def snapshot(page: Page, name: str) -> None:
    """Saves a full-page screenshot in $BROWSER_SCREENSHOTS, for a person to look at the pages."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
