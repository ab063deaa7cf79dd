"""Every email outside the alert pipeline is its own task under one retry policy: a mail
server that fails for a moment is tried again, a refused address is not, and a retry never
sends another person's message twice."""

import pytest
from django.core import mail

from accounts import emails
from accounts.tasks import send_inactivity_warning
from accounts.tests import flaky_mail
from alerts.tasks import send_moderation_email
from neighbourhoods import tasks as neighbourhood_tasks
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory
from shop.tasks import send_order_email
from vigilance.celery import app as celery_app

pytestmark = pytest.mark.django_db

EMAIL_TASKS = [
    neighbourhood_tasks.send_membership_email,
    neighbourhood_tasks.send_referent_email,
    send_moderation_email,
    send_order_email,
    send_inactivity_warning,
]


@pytest.fixture
def flaky_mail_server(settings):
    settings.EMAIL_BACKEND = "accounts.tests.flaky_mail.EmailBackend"
    # In-process tasks then retry as a worker would, instead of raising the retry at the caller.
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    flaky_mail.failures.clear()
    flaky_mail.attempts.clear()
    yield flaky_mail
    flaky_mail.failures.clear()
    celery_app.conf.task_eager_propagates = propagates


@pytest.mark.parametrize("task", EMAIL_TASKS, ids=lambda task: task.name)
def test_every_email_task_has_the_one_policy(task):
    policy = emails.EMAIL_RETRY_POLICY

    assert task.autoretry_for == policy["autoretry_for"]
    assert task.dont_autoretry_for == policy["dont_autoretry_for"]
    assert task.max_retries == policy["max_retries"]
    assert (task.retry_backoff, task.retry_backoff_max, task.retry_jitter) == (
        policy["retry_backoff"],
        policy["retry_backoff_max"],
        policy["retry_jitter"],
    )


def test_a_server_failure_for_one_referent_sends_nobody_a_second_email(
    community, run_tasks, flaky_mail_server
):
    first = ReferentFactory(neighbourhood=community.neighbourhood).user
    second = ReferentFactory(neighbourhood=community.neighbourhood).user
    request = MembershipFactory(community=community, status=Membership.Status.PENDING, decided_at=None)
    flaky_mail_server.failures[second.email] = [flaky_mail.disconnect()]

    neighbourhood_tasks.notify_membership.delay(request.id, "requested")

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [first.email, second.email]
    )
    assert flaky_mail_server.attempts.count(second.email) == 2  # failed, then sent on the retry
    assert flaky_mail_server.attempts.count(first.email) == 1


def test_a_refused_address_is_not_tried_again(community, run_tasks, flaky_mail_server):
    membership = MembershipFactory(community=community, status=Membership.Status.APPROVED)
    address = membership.user.email
    flaky_mail_server.failures[address] = [flaky_mail.refuse(address)]

    result = neighbourhood_tasks.send_membership_email.delay(membership.id, "approved", address)

    assert result.failed() and isinstance(result.result, flaky_mail.SMTPRecipientsRefused)
    assert flaky_mail_server.attempts == [address]
    assert mail.outbox == []
