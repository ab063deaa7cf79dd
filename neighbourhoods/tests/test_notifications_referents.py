"""Emails to referents: one message per referent, and none about a request withdrawn meanwhile."""

import pytest
from django.core import mail

from neighbourhoods import tasks
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def test_each_referent_gets_their_own_email(community, referent, run_tasks):
    second = ReferentFactory(neighbourhood=community.neighbourhood).user
    request = MembershipFactory(community=community, status=Membership.Status.PENDING, decided_at=None)
    tasks.notify_membership.delay(request.id, "requested")
    assert sorted(m.to for m in mail.outbox) == sorted([[referent.email], [second.email]])


def test_no_email_about_a_request_withdrawn_before_the_task_ran(community, referent, run_tasks):
    request = MembershipFactory(community=community, status=Membership.Status.WITHDRAWN, decided_at=None)
    tasks.notify_membership.delay(request.id, "requested")
    assert mail.outbox == []
