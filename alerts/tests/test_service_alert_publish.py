"""alert_publish commits the alert with one delivery per (recipient, channel), then the
fan-out sends each exactly once, by SMS to verified numbers and by email."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.exceptions import NotFound
from alerts.models import Alert, Delivery, NotificationPreference
from alerts.services.moderation import alert_approve
from alerts.services.publishing import alert_publish
from alerts.services.recovery import deliveries_release_scheduled
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def publish(author, community, **overrides):
    fields = {
        "category": Alert.Category.SUSPICIOUS_VEHICLE,
        "urgency": Alert.Urgency.VIGILANCE,
        "description": "Camionnette grise, passée trois fois lentement.",
        "street": "rue des Lilas",
        "occurred_at": None,
    }
    return alert_publish(author=author, community_id=community.id, **{**fields, **overrides})


def test_publish_creates_one_delivery_per_member_and_channel(community, resident):
    others = [MembershipFactory(community=community).user for _ in range(3)]
    alert = publish(resident, community)
    assert alert.status == Alert.Status.PUBLISHED
    pairs = set(alert.deliveries.values_list("recipient_id", "channel"))
    expected = {(u.id, c) for u in others for c in ("sms", "email")}
    assert pairs == expected  # the author is not told of their own alert
    assert set(alert.deliveries.values_list("status", flat=True)) == {Delivery.Status.QUEUED}


def test_fan_out_is_queued_only_after_commit_and_sends_each_message_once(
    community, resident, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    neighbour = MembershipFactory(community=community).user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert = publish(resident, community)
        assert sms_outbox == [] and mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m["to"] for m in sms_outbox] == [str(neighbour.phone)]
    assert [m.to for m in mail.outbox] == [[neighbour.email]]
    assert set(alert.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    # Running the fan-out again sends nothing more: every delivery was claimed.
    callbacks[0]()
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


def test_no_sms_to_unverified_or_opted_out_numbers(
    community, resident, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    unverified = MembershipFactory(community=community, user__phone_verified_at=None).user
    opted_out = MembershipFactory(community=community, user__sms_opted_out_at=timezone.now()).user
    with django_capture_on_commit_callbacks(execute=True):
        alert = publish(resident, community)
    assert sms_outbox == []
    assert set(alert.deliveries.values_list("recipient_id", "channel")) == {
        (unverified.id, "email"),
        (opted_out.id, "email"),
    }


def test_channel_preferences_per_urgency_are_followed(community, resident):
    neighbour = MembershipFactory(community=community).user
    NotificationPreference.objects.create(user=neighbour, information_sms=False, information_email=False)
    info = publish(resident, community, urgency=Alert.Urgency.INFORMATION)
    assert not info.deliveries.filter(recipient=neighbour).exists()
    urgent = publish(resident, community, urgency=Alert.Urgency.URGENT)
    assert set(urgent.deliveries.filter(recipient=neighbour).values_list("channel", flat=True)) == {
        "sms",
        "email",
    }


def test_quiet_hours_defer_non_urgent_alerts_but_never_urgent_ones(community, resident, settings):
    neighbour = MembershipFactory(community=community).user
    now = timezone.localtime()
    start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    NotificationPreference.objects.create(user=neighbour, quiet_hours_start=start, quiet_hours_end=end)

    deferred = publish(resident, community, urgency=Alert.Urgency.VIGILANCE)
    rows = deferred.deliveries.filter(recipient=neighbour)
    assert {d.status for d in rows} == {Delivery.Status.SCHEDULED}
    assert all(d.not_before > timezone.now() for d in rows)
    # Not dropped: released once the quiet hours are over.
    assert deliveries_release_scheduled() == {}
    rows.update(not_before=timezone.now() - datetime.timedelta(seconds=1))
    released = deliveries_release_scheduled()
    assert sum(len(ids) for ids in released.values()) == 2

    urgent = publish(resident, community, urgency=Alert.Urgency.URGENT)
    assert {d.status for d in urgent.deliveries.filter(recipient=neighbour)} == {Delivery.Status.QUEUED}


def test_community_requiring_approval_keeps_member_alerts_pending(community, resident, referent):
    community.alerts_need_approval = True
    community.save()
    MembershipFactory(community=community)
    alert = publish(resident, community)
    assert alert.status == Alert.Status.PENDING
    assert not alert.deliveries.exists()
    approved = alert_approve(referent=referent, alert_id=alert.id)
    assert approved.status == Alert.Status.PUBLISHED
    assert approved.deliveries.count() == 2


def test_posting_to_a_community_one_does_not_belong_to_is_404(community, outsider):
    with pytest.raises(NotFound):
        publish(outsider, community)
    assert not Alert.objects.exists()


def test_pending_member_cannot_post(community, pending_resident):
    with pytest.raises(NotFound):
        publish(pending_resident, community)


@pytest.mark.parametrize(
    "field, value",
    [
        ("description", ""),
        ("description", "x" * 2001),
        ("street", "12 rue des Lilas"),
        ("category", "nonsense"),
        ("urgency", "apocalyptic"),
        ("occurred_at", timezone.now() + datetime.timedelta(days=2)),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(community, resident, field, value):
    with pytest.raises(ValidationError) as error:
        publish(resident, community, **{field: value})
    assert field in error.value.message_dict
    assert not Alert.objects.exists() and not Delivery.objects.exists()
