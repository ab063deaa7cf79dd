"""The alert email: escaped HTML, and a List-Unsubscribe URL that works in one click."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from alerts import messages
from alerts.models import Alert, Delivery, NotificationPreference
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(community, resident):
    alert = AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description='<script>alert("mail")</script> Camionnette blanche',
        street='<a href="https://evil.example">rue</a>',
    )
    neighbour = MembershipFactory(community=community).user
    return DeliveryFactory(alert=alert, recipient=neighbour, channel=Delivery.Channel.EMAIL)


def unsubscribe_path(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    match = re.fullmatch(r"<(https?://[^>]+)>", header)
    assert match, header
    return urlparse(match.group(1)).path


def test_email_has_one_click_list_unsubscribe_headers(delivery):
    message = messages.email_message(delivery)
    assert message.to == [delivery.to]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message).startswith("/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"][1:-1] in message.body


def test_one_click_post_without_a_session_turns_off_alert_emails(delivery):
    NotificationPreference.objects.create(user=delivery.recipient, urgent_sms=False)
    path = unsubscribe_path(messages.email_message(delivery))
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF token
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=delivery.recipient)
    assert (preference.information_email, preference.vigilance_email, preference.urgent_email) == (
        False,
        False,
        False,
    )
    assert preference.urgent_sms is False and preference.vigilance_sms is True  # SMS choices untouched


def test_one_click_works_for_a_member_without_preferences_yet(delivery):
    path = unsubscribe_path(messages.email_message(delivery))
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    preference = NotificationPreference.objects.get(user=delivery.recipient)
    assert not (preference.information_email or preference.vigilance_email or preference.urgent_email)


def test_opening_the_link_in_a_browser_asks_before_changing_anything(client, delivery):
    path = unsubscribe_path(messages.email_message(delivery))
    response = client.get(path)
    assert response.status_code == 200
    assert not NotificationPreference.objects.filter(user=delivery.recipient).exists()


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "1" + t[1:], lambda t: "nonsense"]
)
def test_a_tampered_token_gets_404_and_changes_nothing(client, delivery, tamper):
    token = unsubscribe_path(messages.email_message(delivery)).rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("alerts:unsubscribe", args=[tamper(token)]))
    assert response.status_code == 404
    assert not NotificationPreference.objects.filter(user=delivery.recipient).exists()


def test_html_in_description_and_street_is_escaped_in_the_html_part(delivery):
    html = messages.email_message(delivery).alternatives[0][0]
    assert "<script>" not in html
    assert '<a href="https://evil.example">' not in html
    assert "&lt;script&gt;alert(&quot;mail&quot;)&lt;/script&gt; Camionnette blanche" in html
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;rue&lt;/a&gt;" in html


def test_withdrawal_email_has_the_unsubscribe_header_too(delivery):
    delivery.purpose = Delivery.Purpose.WITHDRAWAL
    message = messages.email_message(delivery)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_notice_email_says_it_is_confidential_in_its_subject_and_first_lines(settings, community, referent):
    settings.LANGUAGE_CODE = "en"
    alert = AlertFactory(
        kind=Alert.Kind.NOTICE, commune=community.neighbourhood.commune, communities=[community]
    )
    message = messages.email_message(
        DeliveryFactory(alert=alert, recipient=referent, channel=Delivery.Channel.EMAIL)
    )
    assert message.subject.startswith("Confidential — ")
    assert message.body.startswith("CONFIDENTIAL: ")
    assert "data-confidential" in message.alternatives[0][0]


def test_a_members_alert_email_is_not_marked_confidential(settings, delivery):
    settings.LANGUAGE_CODE = "en"
    message = messages.email_message(delivery)
    assert "Confidential" not in message.subject and "CONFIDENTIAL" not in message.body
