"""Data that does not outlive its purpose, checked against a fixed clock passed to the services."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.privacy import retention_apply
from accounts.tests.factories import UserFactory
from alerts.models import Alert, AlertFlag, Delivery
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2028, 6, 1, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def old_alert(community, resident):
    alert = Alert.objects.create(
        kind="member",
        author=resident,
        commune=community.neighbourhood.commune,
        category="vehicle",
        urgency="urgent",
        description="Camionnette, plaque AB-123",
        street="rue des Lilas",
        status="published",
        published_at=NOW - 400 * DAY,
    )
    alert.communities.add(community)
    Alert.objects.filter(id=alert.id).update(created_at=NOW - 400 * DAY)
    AlertFlag.objects.create(alert=alert, user=MembershipFactory(community=community).user)
    return alert


def test_alerts_past_retention_keep_only_what_the_figures_need(old_alert, community, resident):
    recent = Alert.objects.create(
        kind="member",
        author=resident,
        commune=community.neighbourhood.commune,
        category="scam",
        description="Faux agent",
        status="published",
    )
    Alert.objects.filter(id=recent.id).update(created_at=NOW - 10 * DAY)
    result = retention_apply(now=NOW)
    assert result["alerts_anonymised"] == 1
    old_alert.refresh_from_db()
    assert (old_alert.description, old_alert.street, old_alert.author) == ("", "", None)
    assert (old_alert.category, old_alert.urgency) == ("vehicle", "urgent")
    assert list(old_alert.communities.all()) == [community]
    assert not AlertFlag.objects.exists()
    recent.refresh_from_db()
    assert recent.description == "Faux agent"
    assert retention_apply(now=NOW)["alerts_anonymised"] == 0  # done once


def test_retention_period_is_configurable(old_alert, settings):
    settings.ALERT_RETENTION_DAYS = 500
    assert retention_apply(now=NOW)["alerts_anonymised"] == 0


def test_delivery_addresses_are_cleared_after_30_days(old_alert, resident):
    old = Delivery.objects.create(
        alert=old_alert, recipient=resident, channel="sms", to="+33600000001", status="sent"
    )
    new = Delivery.objects.create(
        alert=old_alert, recipient=resident, channel="email", to=resident.email, status="sent"
    )
    Delivery.objects.filter(id=old.id).update(created_at=NOW - 31 * DAY)
    Delivery.objects.filter(id=new.id).update(created_at=NOW - 29 * DAY)
    retention_apply(now=NOW)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.to == "" and old.status == "sent"
    assert new.to == resident.email


def test_inactive_accounts_are_warned_then_deleted_a_month_later(
    community, run_tasks, django_capture_on_commit_callbacks
):
    sleeper = MembershipFactory(community=community).user
    User.objects.filter(id=sleeper.id).update(last_login=NOW - 25 * 30 * DAY)
    active = UserFactory()
    User.objects.filter(id=active.id).update(last_login=NOW - 10 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply(now=NOW)["accounts_warned"] == 1
    assert [m.to for m in mail.outbox] == [[sleeper.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply(now=NOW + 10 * DAY)["accounts_deleted"] == 0  # still in the grace month
    assert len(mail.outbox) == 1  # warned once, not every day

    result = retention_apply(now=NOW + 31 * DAY)
    assert result["accounts_deleted"] == 1
    assert not User.objects.filter(id=sleeper.id).exists()
    assert not Membership.objects.filter(user_id=sleeper.id).exists()
    assert User.objects.filter(id=active.id).exists()


def test_signing_in_after_the_warning_keeps_the_account(community):
    sleeper = UserFactory()
    User.objects.filter(id=sleeper.id).update(last_login=NOW - 25 * 30 * DAY)
    retention_apply(now=NOW)
    User.objects.filter(id=sleeper.id).update(last_login=NOW + 5 * DAY)
    assert retention_apply(now=NOW + 31 * DAY)["accounts_deleted"] == 0
    assert User.objects.filter(id=sleeper.id).exists()


def test_platform_superusers_are_never_deleted_for_inactivity(run_tasks, django_capture_on_commit_callbacks):
    admin = UserFactory(is_superuser=True, is_staff=True)
    User.objects.filter(id=admin.id).update(last_login=NOW - 40 * 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(now=NOW)
    assert retention_apply(now=NOW + 40 * DAY)["accounts_deleted"] == 0
    assert mail.outbox == []


def test_the_management_command_runs_the_same_with_a_given_clock(old_alert):
    out = StringIO()
    call_command("apply_retention", "--now", NOW.isoformat(), stdout=out)
    assert "alerts_anonymised: 1" in out.getvalue()
    old_alert.refresh_from_db()
    assert old_alert.anonymised_at == NOW


def test_the_periodic_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "vigilance.tasks.apply_retention" in tasks
    assert timezone.is_aware(NOW)
