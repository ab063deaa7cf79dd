"""Journey 3: the municipal police warn communities of their commune, or tell the referents only."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from alerts import sms_backends
from alerts.models import Alert, Delivery
from alerts.services.publishing import police_alert_publish
from neighbourhoods.tests.factories import (
    CommunityFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    ReferentFactory,
)
from vigilance.tests.browser.helpers import (
    log_in,
    path_of,
    snapshot,
    submit,
    unlabelled_fields,
)

from .steps import emails, phones, sms_recipients, twilio_post

pytestmark = pytest.mark.browser

TOKEN = "police-journey-token"
WARNING = "Vols de catalyseurs signalés cette semaine : garez-vous dans un lieu éclairé."
NOTICE = "Repérages possibles par un utilitaire blanc ; merci de relayer avec discernement."


def count(page, name: str) -> str:
    return page.locator(f"[data-count='{name}']").inner_text().strip()


def admin_log_in(page, email: str, next_url: str) -> None:
    """The admin signs in through the site's login form, then the two-factor step."""
    log_in(page, email, next_url=next_url)


@pytest.fixture
def commune_people(
    community, resident, neighbours, pending_resident, referent, second_neighbourhood_community
):
    """Who lives where in the commune, and who should hear of what."""
    commune = community.neighbourhood.commune
    same_neighbourhood = CommunityFactory(neighbourhood=community.neighbourhood)
    unverified = MembershipFactory(
        community=same_neighbourhood, user=UserFactory(phone_verified_at=None)
    ).user
    untargeted = CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=commune))
    second_referent = ReferentFactory(neighbourhood=second_neighbourhood_community.neighbourhood).user
    return {
        "with_sms": [resident, *neighbours, second_neighbourhood_community.memberships.get().user],
        "email_only": [unverified],
        "untargeted": MembershipFactory(community=untargeted).user,
        "referents": [referent, second_referent],
    }


def test_police_officer_previews_counts_sends_and_follows_a_warning_then_a_notice_to_referents(
    new_page,
    run_tasks,
    settings,
    live_server,
    police_officer,
    community,
    other_community,
    outsider,
    second_neighbourhood_community,
    commune_people,
):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = live_server.url  # the status callbacks Twilio would call come back here
    add_url = reverse("admin:alerts_alert_add")
    page = new_page()
    admin_log_in(page, police_officer.email, add_url)
    assert path_of(page) == add_url

    # Only the officer's own commune can be addressed.
    assert page.locator(f"input[name=communities][value='{community.id}']").count() == 1
    assert page.locator(f"input[name=communities][value='{other_community.id}']").count() == 0
    assert (
        page.locator(f"input[name=neighbourhoods][value='{other_community.neighbourhood_id}']").count() == 0
    )
    assert unlabelled_fields(page) == []

    page.check("input[name=kind][value=police]")
    page.check(f"input[name=neighbourhoods][value='{community.neighbourhood_id}']")
    page.check(f"input[name=communities][value='{second_neighbourhood_community.id}']")
    page.select_option("select[name=category]", "burglary")
    page.select_option("select[name=urgency]", "vigilance")
    page.fill("textarea[name=description]", WARNING)
    submit(page, page.locator("form:has(textarea[name=description])"), "input[name=preview]")

    # The preview counts people and messages per channel; nothing is sent yet.
    with_sms, email_only = commune_people["with_sms"], commune_people["email_only"]
    assert count(page, "people") == str(len(with_sms) + len(email_only))
    assert count(page, "sms") == str(len(with_sms))
    assert count(page, "email") == str(len(with_sms) + len(email_only))
    assert not Alert.objects.exists()
    snapshot(page, "police-preview")
    assert page.input_value("textarea[name=description]") == WARNING
    shown = page.locator("[data-sms-text]").inner_text()  # the SMS, word for word, before sending
    assert WARNING in shown

    submit(page, page.locator("form:has(textarea[name=description])"), "input[name=confirm]")
    warning = Alert.objects.get()
    assert path_of(page) == reverse("admin:alerts_alert_change", args=[warning.id])
    assert (warning.kind, warning.author, warning.commune) == (
        Alert.Kind.POLICE,
        police_officer,
        community.neighbourhood.commune,
    )
    assert count(page, "sms-sent") == str(len(with_sms))
    assert count(page, "email-sent") == str(len(with_sms) + len(email_only))
    assert count(page, "sms-delivered") == "0"
    assert sms_recipients() == phones(with_sms)
    assert {m["body"] for m in sms_backends.outbox} == {shown}
    assert sorted(m.to[0] for m in mail.outbox) == emails([*with_sms, *email_only])
    snapshot(page, "police-progress")

    # Twilio reports a delivery; the progress page shows it on its own, without a click.
    message = sms_backends.outbox[0]
    response = twilio_post(
        page, message["status_callback"], {"MessageSid": message["sid"], "MessageStatus": "delivered"}, TOKEN
    )
    assert response.status == 204
    expect(page.locator("[data-count='sms-delivered']")).to_have_text("1", timeout=8_000)
    assert count(page, "sms-sent") == str(len(with_sms) - 1)

    # A confidential notice to the whole commune reaches its referents, and nobody else.
    sms_backends.outbox.clear()
    mail.outbox.clear()
    page.goto(add_url)
    page.check("input[name=kind][value=notice]")
    page.check("input[name=whole_commune]")
    page.select_option("select[name=category]", "vehicle")
    page.fill("textarea[name=description]", NOTICE)
    submit(page, page.locator("form:has(textarea[name=description])"), "input[name=preview]")
    referents = commune_people["referents"]
    assert count(page, "people") == str(len(referents))
    submit(page, page.locator("form:has(textarea[name=description])"), "input[name=confirm]")
    notice = Alert.objects.get(kind=Alert.Kind.NOTICE)
    assert path_of(page) == reverse("admin:alerts_alert_change", args=[notice.id])
    assert count(page, "sms-sent") == str(len(referents))
    assert sms_recipients() == phones(referents)
    assert sorted(m.to[0] for m in mail.outbox) == emails(referents)
    assert set(Delivery.objects.filter(alert=notice).values_list("recipient", flat=True)) == {
        u.id for u in referents
    }

    # Members never see a notice, even in their community's feed; the referent finds it.
    member_page = new_page(user=commune_people["with_sms"][0])
    member_page.goto(reverse("alerts:feed", args=[community.id]))
    assert member_page.locator(f"main a[href='{reverse('alerts:detail', args=[notice.id])}']").count() == 0
    assert member_page.locator(f"main a[href='{reverse('alerts:detail', args=[warning.id])}']").count() == 1
    response = member_page.goto(reverse("alerts:detail", args=[notice.id]))
    assert response.status == 404
    referent_page = new_page(user=referents[0])
    referent_page.goto(reverse("alerts:moderation"))
    assert referent_page.locator(f"main a[href='{reverse('alerts:detail', args=[notice.id])}']").count() == 1


def test_progress_page_title_gives_the_time_in_the_communes_time_zone(
    new_page, police_officer, community, resident
):
    warning = police_alert_publish(
        officer=police_officer,
        kind=Alert.Kind.POLICE,
        communities=[community],
        category="vehicle",
        urgency="vigilance",
        description=WARNING,
    )
    page = new_page(user=police_officer)
    page.goto(reverse("admin:alerts_alert_change", args=[warning.id]))
    local = timezone.localtime(warning.created_at).strftime("%Y-%m-%d %H:%M")
    assert local in page.locator("#content h1").inner_text()
