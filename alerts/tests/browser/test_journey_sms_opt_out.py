"""Journey 6: a member turns text messages off on their settings page, or by answering STOP."""

import pytest
from django.urls import reverse

from alerts.services.publishing import alert_publish
from vigilance.tests.browser.helpers import form_with, submit

from .steps import sms_to, twilio_post

pytestmark = pytest.mark.browser

TOKEN = "opt-out-journey-token"


def publish(author, community) -> None:
    alert_publish(
        author=author,
        community_id=community.id,
        category="vehicle",
        urgency="urgent",
        description="Un scooter sans plaque tourne dans le quartier.",
        street="rue des Lilas",
    )


def test_member_who_turns_sms_off_gets_no_sms_for_the_next_alert(
    new_page, run_tasks, community, resident, neighbours
):
    author, neighbour = neighbours
    page = new_page(user=resident)
    page.goto(reverse("alerts:notifications"))
    assert page.is_checked("input[name=sms_enabled]")
    page.uncheck("input[name=sms_enabled]")
    submit(page, form_with(page, "input[name=sms_enabled]"))
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is not None
    assert not page.is_checked("input[name=sms_enabled]")

    publish(author, community)
    assert sms_to(resident.phone) == []
    assert len(sms_to(neighbour.phone)) == 1


def test_stop_then_start_by_sms_turn_text_messages_off_and_on_again(
    new_page, settings, live_server, run_tasks, community, resident, neighbours
):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = live_server.url
    inbound = live_server.url + reverse("alerts:twilio_inbound")
    page = new_page(user=resident)

    # A forged request changes nothing.
    forged = page.request.post(
        inbound, form={"From": str(resident.phone), "Body": "STOP"}, headers={"X-Twilio-Signature": "forged"}
    )
    assert forged.status == 403
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is None

    response = twilio_post(page, inbound, {"From": str(resident.phone), "Body": "Stop "}, TOKEN)
    assert response.status == 200
    page.goto(reverse("alerts:notifications"))
    assert not page.is_checked("input[name=sms_enabled]")
    assert page.locator("#verify .message-error").is_visible()
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is not None
    publish(neighbours[0], community)
    assert sms_to(resident.phone) == []

    response = twilio_post(page, inbound, {"From": str(resident.phone), "Body": "START"}, TOKEN)
    assert response.status == 200
    page.reload()
    assert page.is_checked("input[name=sms_enabled]")
    assert page.locator("#verify .message-error").count() == 0
    publish(neighbours[0], community)
    assert len(sms_to(resident.phone)) == 1
