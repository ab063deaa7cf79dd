"""/profile/phone/send-code/ and /profile/phone/confirm/: the member asks for a code, then types it."""

import re

import pytest
from django.urls import reverse

from alerts.models import PhoneVerification
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(community):
    return MembershipFactory(
        community=community, user__phone_verified_at=None, user__phone="+33612345678"
    ).user


def sent_code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1]["body"]).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_send_code_view_sends_the_sms_and_confirm_view_verifies(client, member, sms_outbox):
    client.force_login(member)
    response = client.post(reverse("alerts:phone_code_send"))
    assert response.status_code == 302
    assert [m["to"] for m in sms_outbox] == ["+33612345678"]
    response = client.post(reverse("alerts:phone_code_confirm"), {"code": sent_code(sms_outbox)})
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:notifications")
    member.refresh_from_db()
    assert member.phone_verified_at is not None


def test_confirm_view_shows_an_error_for_a_wrong_code(client, member, sms_outbox):
    client.force_login(member)
    client.post(reverse("alerts:phone_code_send"))
    response = client.post(
        reverse("alerts:phone_code_confirm"), {"code": wrong(sent_code(sms_outbox))}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert PhoneVerification.objects.get(user=member).attempts == 1
    member.refresh_from_db()
    assert member.phone_verified_at is None


@pytest.mark.parametrize("code", ["12345", "abcdef", ""])
def test_confirm_view_refuses_a_code_that_is_not_six_digits_without_counting_it(
    client, member, sms_outbox, code
):
    client.force_login(member)
    client.post(reverse("alerts:phone_code_send"))
    response = client.post(reverse("alerts:phone_code_confirm"), {"code": code}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert PhoneVerification.objects.get(user=member).attempts == 0


def test_send_code_view_shows_the_hourly_limit_message(client, member, sms_outbox):
    client.force_login(member)
    for _ in range(3):
        client.post(reverse("alerts:phone_code_send"))
    response = client.post(reverse("alerts:phone_code_send"), follow=True)
    last = list(response.context["messages"])[-1]
    assert last.level_tag == "error"
    assert "hour" in str(last) or "heure" in str(last)
    assert len(sms_outbox) == 3


def test_phone_views_send_visitors_to_log_in(client, sms_outbox):
    assert client.post(reverse("alerts:phone_code_send")).status_code == 302
    assert client.post(reverse("alerts:phone_code_confirm"), {"code": "123456"}).status_code == 302
    assert sms_outbox == []


def test_phone_views_accept_post_only(client, member, sms_outbox):
    client.force_login(member)
    assert client.get(reverse("alerts:phone_code_send")).status_code == 405
    assert client.get(reverse("alerts:phone_code_confirm")).status_code == 405
    assert sms_outbox == []
