"""The membership emails go through a real Celery worker consuming the configured broker
(Redis when REDIS_URL is set, as in CI), not through an in-process shortcut."""

import time

import pytest
from django.core import mail

from conftest import wait_for
from neighbourhoods import services
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory


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
