"""Steps the alert journeys share: they select by field names, ids and URLs, never by UI text."""

from django.urls import reverse
from playwright.sync_api import Page
from twilio.request_validator import RequestValidator

from alerts import sms_backends
from vigilance.tests.browser.helpers import form_with, submit


def fill_alert_form(
    page: Page, *, category="vehicle", description="", street="", urgency="vigilance"
) -> None:
    page.check(f"input[name=category][value={category}]")
    page.fill("textarea[name=description]", description)
    page.fill("input[name=street]", street)
    page.check(f"input[name=urgency][value={urgency}]")


def post_alert(page: Page, community, **fields) -> None:
    """Opens the report form from the community's feed, fills it in and sends it."""
    page.goto(reverse("alerts:feed", args=[community.id]))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('alerts:create', args=[community.id])}']")
    fill_alert_form(page, **fields)
    submit(page, form_with(page, "textarea[name=description]"))


def sms_to(phone) -> list[str]:
    """The bodies of the SMS sent to a number, oldest first."""
    return [message["body"] for message in sms_backends.outbox if message["to"] == str(phone)]


def sms_recipients() -> list[str]:
    return sorted(message["to"] for message in sms_backends.outbox)


def phones(users) -> list[str]:
    return sorted(str(user.phone) for user in users)


def emails(users) -> list[str]:
    return sorted(user.email for user in users)


def twilio_post(page: Page, url: str, data: dict, token: str):
    """POSTs to a Twilio webhook as Twilio does: a form body signed with the auth token.

    `url` is the full public URL (SITE_URL + path + query), which is what the signature covers.
    """
    signature = RequestValidator(token).compute_signature(url, data)
    return page.request.post(url, form=data, headers={"X-Twilio-Signature": signature})
