"""The email channel keeps one SMTP connection for a whole batch."""

import smtplib

import pytest

from alerts.channels.email import EmailChannel
from alerts.tests.factories import AlertFactory, DeliveryFactory

pytestmark = pytest.mark.django_db


class CountingSMTP(smtplib.SMTP):
    connections = 0

    def __init__(self, *args, **kwargs):
        type(self).connections += 1
        self.sent = 0

    def sendmail(self, *args, **kwargs):
        return {}

    def ehlo_or_helo_if_needed(self):
        pass

    def quit(self):
        pass

    def close(self):
        pass


def test_one_smtp_connection_for_a_batch_of_emails(settings, monkeypatch, community, resident):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.setattr("django.core.mail.backends.smtp.smtplib.SMTP", CountingSMTP)
    CountingSMTP.connections = 0
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    deliveries = [DeliveryFactory(alert=alert, channel="email") for _ in range(5)]
    channel = EmailChannel()
    for delivery in deliveries:
        channel.send(delivery)
    channel.close()
    assert CountingSMTP.connections == 1


def test_emails_rendered_once_per_batch_are_the_same_as_rendered_alone(community, resident):
    from alerts.messages import email_message

    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    first, second = (DeliveryFactory(alert=alert, channel="email") for _ in range(2))
    cache = {}
    for delivery in (first, second):
        batched, alone = email_message(delivery, cache=cache), email_message(delivery)
        assert (batched.subject, batched.body, batched.alternatives[0][0]) == (
            alone.subject,
            alone.body,
            alone.alternatives[0][0],
        )
        assert batched.extra_headers["List-Unsubscribe"] == alone.extra_headers["List-Unsubscribe"]
    assert len(cache) == 1
    assert email_message(first, cache=cache).body != email_message(second, cache=cache).body  # own links
