"""Journey 1: a member reports something unusual; their neighbours are told by SMS and email."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from alerts import sms_backends
from alerts.models import Alert
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.tests.browser.helpers import form_with, path_of, snapshot, submit, unlabelled_fields

from .steps import fill_alert_form, phones, post_alert, sms_recipients

pytestmark = pytest.mark.browser

DESCRIPTION = "Une camionnette grise sans logo est passée trois fois au ralenti, plaque commençant par GH."


def precedes(page, first: str, second: str) -> bool:
    """True when the element matching `first` comes before the one matching `second` in the page."""
    return page.evaluate(
        """([a, b]) => Boolean(document.querySelector(a).compareDocumentPosition(document.querySelector(b))
                               & Node.DOCUMENT_POSITION_FOLLOWING)""",
        [first, second],
    )


def test_member_posts_an_alert_and_the_other_members_get_sms_and_email(
    new_page, run_tasks, community, resident, neighbours, pending_resident, outsider, referent
):
    unverified = MembershipFactory(community=community, user=UserFactory(phone_verified_at=None)).user
    page = new_page(user=resident)
    page.goto(reverse("alerts:feed", args=[community.id]))
    snapshot(page, "alerts-feed-empty")
    create_url = reverse("alerts:create", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{create_url}']")
    assert path_of(page) == create_url

    # The emergency numbers come first, above the form, and the charter is one click away.
    assert page.locator("main a[href='tel:17']").first.is_visible()
    assert page.locator("main a[href='tel:112']").first.is_visible()
    assert precedes(page, "main a[href='tel:17']", "main form textarea[name=description]")
    assert precedes(page, "main a[href='tel:112']", "main form textarea[name=description]")
    assert page.locator(f"main a[href='{reverse('charter')}']").count() == 1
    assert unlabelled_fields(page) == []
    snapshot(page, "alert-form")

    fill_alert_form(
        page, category="vehicle", description=DESCRIPTION, street="rue des Lilas", urgency="vigilance"
    )
    submit(page, form_with(page, "textarea[name=description]"))

    alert = Alert.objects.get()
    assert path_of(page) == reverse("alerts:detail", args=[alert.id])
    assert (alert.author, alert.status, alert.category, alert.urgency) == (
        resident,
        Alert.Status.PUBLISHED,
        "vehicle",
        "vigilance",
    )
    assert list(alert.communities.all()) == [community]
    assert DESCRIPTION in page.locator("main").inner_text()
    snapshot(page, "alert-page-author")

    # One SMS per member with a verified number, one email per member; never to the author,
    # to a member not yet approved, to another community, or to a referent who is no member.
    assert sms_recipients() == phones(neighbours)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        u.email for u in [*neighbours, unverified]
    )
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert all(DESCRIPTION in message.body for message in mail.outbox)

    page.goto(reverse("alerts:feed", args=[community.id]))
    assert page.locator(f"main a[href='{reverse('alerts:detail', args=[alert.id])}']").count() == 1
    snapshot(page, "alerts-feed")

    # A neighbour follows the link of their SMS to the alert's page.
    link = reverse("alerts:short", args=[alert.id])
    assert all(message["body"].endswith(link) for message in sms_backends.outbox)
    assert all(link in message.body for message in mail.outbox)
    neighbour_page = new_page(user=neighbours[0])
    neighbour_page.goto(link)
    assert path_of(neighbour_page) == reverse("alerts:detail", args=[alert.id])
    assert DESCRIPTION in neighbour_page.locator("main").inner_text()
    snapshot(neighbour_page, "alert-page-member")


@pytest.mark.parametrize(
    "description, street, field",
    [("", "rue des Lilas", "description"), (DESCRIPTION, "12 rue des Lilas", "street")],
    ids=["empty-description", "house-number"],
)
def test_bad_input_in_the_alert_form_shows_an_error_and_creates_no_alert(
    new_page, run_tasks, community, resident, neighbours, description, street, field
):
    page = new_page(user=resident)
    post_alert(page, community, description=description, street=street)

    assert path_of(page) == reverse("alerts:create", args=[community.id])
    assert page.locator(f"main #id_{field}_error").is_visible()
    snapshot(page, f"alert-form-error-{field}")
    # On a phone the field is far below: a summary in the first screen says so and leads to it.
    summary_link = page.locator(f"main [role=alert] a[href='#id_{field}']")
    assert summary_link.is_visible()
    assert summary_link.bounding_box()["y"] < page.viewport_size["height"]
    summary_link.click()
    assert page.evaluate("document.activeElement.name") == field
    assert page.locator(f"main [name={field}][aria-invalid=true]").count() == 1
    assert Alert.objects.count() == 0
    assert sms_recipients() == []
    assert mail.outbox == []
    # What the member typed is kept, so that they only correct the mistake.
    assert page.input_value("textarea[name=description]") == description
    assert page.input_value("input[name=street]") == street
