"""Who is called: verified landlines, for urgent alerts only, once per landline; the calls go
through the same claims, retries and recovery as SMS (in-memory voice outbox here)."""

import datetime

import pytest
from django.utils import timezone

from alerts import selectors, tasks, voice_backends
from alerts.models import Alert, Delivery, NotificationPreference
from alerts.services import recovery, sending
from alerts.services.moderation import alert_withdraw
from alerts.services.publishing import alert_publish, police_alert_publish
from alerts.tests.factories import PoliceOfficerFactory
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db
VOICE = Delivery.Channel.VOICE


@pytest.fixture
def voice_outbox(settings):
    settings.VOICE_BACKEND = "alerts.voice_backends.LocmemVoiceBackend"
    voice_backends.outbox.clear()
    yield voice_backends.outbox
    voice_backends.outbox.clear()


def callable_member(community, landline="+33240123456", verified=True):
    return MembershipFactory(
        community=community,
        user__landline=landline,
        user__landline_verified_at=timezone.now() if verified else None,
    ).user


def publish(author, community, urgency=Alert.Urgency.URGENT):
    return alert_publish(
        author=author,
        community_id=community.id,
        category=Alert.Category.BURGLARY,
        urgency=urgency,
        description="Deux personnes essaient d'ouvrir une porte de garage.",
        street="rue des Lilas",
    )


def test_only_verified_landlines_are_called_and_only_for_urgent_alerts(community, resident):
    called = callable_member(community, "+33240000001")
    callable_member(community, "+33240000002", verified=False)
    for urgency in (Alert.Urgency.INFORMATION, Alert.Urgency.VIGILANCE):
        assert not publish(resident, community, urgency).deliveries.filter(channel=VOICE).exists()
    urgent = publish(resident, community)
    [call] = urgent.deliveries.filter(channel=VOICE)
    assert (call.recipient, call.to, call.status) == (called, "+33240000001", Delivery.Status.QUEUED)


def test_quiet_hours_never_hold_a_call(community, resident):
    member = callable_member(community)
    now = timezone.localtime()
    NotificationPreference.objects.create(
        user=member,
        quiet_hours_start=(now - datetime.timedelta(hours=1)).time(),
        quiet_hours_end=(now + datetime.timedelta(hours=1)).time(),
    )
    call = publish(resident, community).deliveries.get(channel=VOICE)
    assert (call.status, call.not_before) == (Delivery.Status.QUEUED, None)


def test_members_sharing_a_landline_get_one_call_between_them(community, resident):
    callable_member(community, "+33240000001")
    callable_member(community, "+33240000001")
    alert = publish(resident, community)
    assert alert.deliveries.filter(channel=VOICE).count() == 1
    counts = selectors.recipient_counts(communities=[community], kind="member", urgency="urgent")
    assert counts["voice"] == 1


def test_the_police_preview_counts_the_calls(community, resident):
    callable_member(community, "+33240000001")
    callable_member(community, "+33240000002")
    urgent = selectors.recipient_counts(communities=[community], kind="police", urgency="urgent")
    vigilance = selectors.recipient_counts(communities=[community], kind="police", urgency="vigilance")
    assert (urgent["voice"], vigilance["voice"]) == (2, 0)
    assert urgent["sms"] == vigilance["sms"] == 3


def test_an_urgent_police_warning_calls_but_a_confidential_notice_never_does(community):
    officer = PoliceOfficerFactory(official_commune=community.neighbourhood.commune)
    callable_member(community)
    referent = ReferentFactory(neighbourhood=community.neighbourhood).user
    referent.landline, referent.landline_verified_at = "+33240000009", timezone.now()
    referent.save()
    fields = {"category": "scam", "urgency": "urgent", "description": "Faux agents du gaz.", "street": ""}
    warning = police_alert_publish(officer=officer, kind="police", communities=[community], **fields)
    assert warning.deliveries.filter(channel=VOICE).count() == 1
    notice = police_alert_publish(officer=officer, kind="notice", communities=[community], **fields)
    assert not notice.deliveries.filter(channel=VOICE).exists()
    counts = selectors.recipient_counts(communities=[community], kind="notice", urgency="urgent")
    assert counts["voice"] == 0


def test_a_withdrawal_calls_nobody(community, resident, referent, voice_outbox):
    callable_member(community)
    alert = publish(resident, community)
    sending.deliveries_send(delivery_ids=list(alert.deliveries.values_list("id", flat=True)))
    assert len(voice_outbox) == 1
    alert_withdraw(referent=referent, alert_id=alert.id, reason="Erreur")
    assert alert.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL).exists()
    assert not alert.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL, channel=VOICE).exists()


def test_a_call_goes_after_the_sms_in_its_batch(community, resident, voice_outbox, sms_outbox):
    callable_member(community)
    alert = publish(resident, community)
    ids = list(alert.deliveries.values_list("id", flat=True))
    sending.deliveries_send(delivery_ids=ids)
    assert set(alert.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert (
        tasks.PRIORITY[Delivery.Channel.SMS] < tasks.PRIORITY[VOICE] < tasks.PRIORITY[Delivery.Channel.EMAIL]
    )


def test_a_call_left_sending_by_a_dead_worker_is_looked_up_not_placed_again(
    community, resident, voice_outbox, settings
):
    callable_member(community)
    call = publish(resident, community).deliveries.get(channel=VOICE)
    # A worker placed the call, then died before recording it.
    voice_backends.get_voice_backend().call(to=call.to, twiml="<Response/>")
    stale = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 1)
    Delivery.objects.filter(id=call.id).update(status=Delivery.Status.SENDING, updated_at=stale, attempts=1)
    assert recovery.deliveries_recover_stuck() == {VOICE: [call.id]}
    sending.deliveries_send(delivery_ids=[call.id])
    call.refresh_from_db()
    assert (call.status, call.provider_id) == (Delivery.Status.SENT, voice_outbox[0]["sid"])
    assert len(voice_outbox) == 1


def test_a_call_left_sending_that_never_left_is_placed_once(community, resident, voice_outbox, settings):
    callable_member(community)
    call = publish(resident, community).deliveries.get(channel=VOICE)
    stale = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 1)
    Delivery.objects.filter(id=call.id).update(status=Delivery.Status.SENDING, updated_at=stale, attempts=1)
    recovery.deliveries_recover_stuck()
    sending.deliveries_send(delivery_ids=[call.id])
    sending.deliveries_send(delivery_ids=[call.id])  # a task run twice
    call.refresh_from_db()
    assert call.status == Delivery.Status.SENT
    assert [c["to"] for c in voice_outbox] == [call.to]
