"""Fault test: a reply arriving twice at once (Twilio retries a webhook that timed out while
the first attempt is still running, on another worker). One alert, one reply for both; and
two messages at once from an unknown number still get one reply between them."""

import threading
import time

import pytest
from django.db import connection

from alerts.models import Alert, InboundSms
from alerts.services.inbound import inbound_sms_handle
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sessions need PostgreSQL"),
]


def at_once(*calls) -> list[str]:
    """Runs the calls in threads (each its own database session), released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, kwargs):
        try:
            barrier.wait()
            results[i] = inbound_sms_handle(**kwargs)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, kwargs)) for i, kwargs in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture(autouse=True)
def slow_replies(monkeypatch):
    """Each message takes a while between reading what came before and committing: without
    the lock per sender, messages at once would all read that nothing came before."""
    from alerts.services import inbound_replies

    render = inbound_replies.render

    def slow_render(*args, **kwargs):
        time.sleep(0.3)
        return render(*args, **kwargs)

    monkeypatch.setattr(inbound_replies, "render", slow_render)


def test_the_same_message_twice_at_once_makes_one_alert_and_one_reply(settings):
    settings.LANGUAGE_CODE = "en"
    member = MembershipFactory(community=CommunityFactory()).user
    message = {"sid": "SMtwice", "from_phone": str(member.phone), "body": "ALERTE voiture qui rode"}

    replies = at_once(message, dict(message), dict(message))

    assert len(set(replies)) == 1 and "published" in replies[0]
    assert Alert.objects.count() == 1 and InboundSms.objects.count() == 1


def test_an_unknown_number_texting_twice_at_once_gets_one_reply():
    phone = "+33611223344"
    replies = at_once(*({"sid": f"SM{n}", "from_phone": phone, "body": "bonjour"} for n in range(3)))

    assert sum(1 for reply in replies if reply) == 1
    assert InboundSms.objects.count() == 3
