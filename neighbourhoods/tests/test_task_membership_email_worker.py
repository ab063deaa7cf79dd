"""The membership emails go through a real Celery worker consuming the configured broker
(Redis when REDIS_URL is set, as in CI), not through an in-process shortcut."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from neighbourhoods import services
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app


@pytest.fixture
def celery_worker(transactional_db):
    celery_app.control.purge()  # messages left by tests that queued without a worker
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_approval_email_is_sent_once_by_a_real_worker(celery_worker, community, referent):
    pending = MembershipFactory(community=community, status=Membership.Status.PENDING, decided_at=None)

    services.membership_decide(
        referent=referent, membership_id=pending.id, approve=True, message="Bienvenue !"
    )

    assert wait_for(lambda: len(mail.outbox) >= 1), "the worker never sent the email"
    time.sleep(0.3)  # a duplicate would arrive now
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pending.user.email]
    assert "Bienvenue !" in mail.outbox[0].body
