"""alert_withdraw: what was not sent is cancelled and never sent; who was told is told once,
on the channel they were told on; who was never told hears nothing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from alerts import tasks
from alerts.channels.base import ChannelError
from alerts.channels.registry import get_channel
from alerts.models import Alert, Delivery, NotificationPreference
from alerts.services import sending
from alerts.services.moderation import alert_withdraw, police_alert_withdraw
from alerts.services.publishing import alert_publish, police_alert_publish
from alerts.services.sending import deliveries_send
from alerts.tests.factories import PoliceOfficerFactory
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def publish(author, community, urgency=Alert.Urgency.VIGILANCE):
    """Publishes without running the fan-out: every delivery stays queued (or scheduled)."""
    return alert_publish(
        author=author,
        community_id=community.id,
        category=Alert.Category.SCAM,
        urgency=urgency,
        description="Un démarcheur demande à relever le compteur.",
        street="rue des Lilas",
    )


@pytest.fixture
def told(community):
    return MembershipFactory(community=community).user


@pytest.fixture
def not_yet_told(community):
    return MembershipFactory(community=community).user


@pytest.fixture
def sleeping(community):
    """A member in quiet hours: their deliveries are scheduled for later."""
    user = MembershipFactory(community=community).user
    now = timezone.localtime()
    NotificationPreference.objects.create(
        user=user,
        quiet_hours_start=(now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_hours_end=(now + datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0),
    )
    return user


@pytest.fixture
def half_sent(community, resident, told, not_yet_told, sleeping, sms_outbox):
    """An alert whose deliveries to `told` went out, the others not yet."""
    alert = publish(resident, community)
    deliveries_send(delivery_ids=list(alert.deliveries.filter(recipient=told).values_list("id", flat=True)))
    assert [m["to"] for m in sms_outbox] == [str(told.phone)]
    assert [m.to for m in mail.outbox] == [[told.email]]
    sms_outbox.clear()
    mail.outbox.clear()
    return alert


def withdraw(
    referent, alert, django_capture_on_commit_callbacks, reason="Fausse alerte : c'était le vrai releveur."
):
    with django_capture_on_commit_callbacks(execute=True):
        return alert_withdraw(referent=referent, alert_id=alert.id, reason=reason)


def test_queued_and_scheduled_deliveries_are_cancelled_and_never_sent(
    half_sent, referent, not_yet_told, sleeping, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    withdraw(referent, half_sent, django_capture_on_commit_callbacks)
    for user in (not_yet_told, sleeping):
        statuses = set(half_sent.deliveries.filter(recipient=user).values_list("status", flat=True))
        assert statuses == {Delivery.Status.CANCELLED}
    # The batches queued at publication, and the quiet hours ending, send nothing.
    tasks.fan_out(half_sent.id, Delivery.Purpose.ALERT)
    half_sent.deliveries.filter(recipient=sleeping).update(
        not_before=timezone.now() - datetime.timedelta(minutes=1)
    )
    tasks.release_scheduled()
    deliveries_send(delivery_ids=list(half_sent.deliveries.values_list("id", flat=True)))
    recipients = {m["to"] for m in sms_outbox} | {address for m in mail.outbox for address in m.to}
    assert not recipients & {str(not_yet_told.phone), not_yet_told.email, str(sleeping.phone), sleeping.email}


def test_members_who_were_told_get_a_short_withdrawal_on_the_same_channels_exactly_once(
    half_sent, referent, told, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    withdraw(referent, half_sent, django_capture_on_commit_callbacks)
    assert [m["to"] for m in sms_outbox] == [str(told.phone)]
    assert "compteur" not in sms_outbox[0]["body"]  # a short notice, not the alert again
    assert f"/a/{half_sent.id}" in sms_outbox[0]["body"]
    assert [m.to for m in mail.outbox] == [[told.email]]
    assert "Fausse alerte" in mail.outbox[0].body
    notices = half_sent.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL)
    assert set(notices.values_list("recipient_id", "channel", "status")) == {
        (told.id, "sms", Delivery.Status.SENT),
        (told.id, "email", Delivery.Status.SENT),
    }
    # Running the withdrawal fan-out again sends nothing more.
    tasks.fan_out(half_sent.id, Delivery.Purpose.WITHDRAWAL)
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


def test_member_told_by_email_only_is_told_of_the_withdrawal_by_email_only(
    community, resident, referent, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    email_only = MembershipFactory(community=community, user__phone_verified_at=None).user
    alert = publish(resident, community)
    deliveries_send(delivery_ids=list(alert.deliveries.values_list("id", flat=True)))
    mail.outbox.clear()
    withdraw(referent, alert, django_capture_on_commit_callbacks)
    assert sms_outbox == []
    assert [m.to for m in mail.outbox] == [[email_only.email]]


def test_nobody_told_means_no_withdrawal_message(
    community, resident, referent, not_yet_told, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    alert = publish(resident, community)
    withdraw(referent, alert, django_capture_on_commit_callbacks)
    assert sms_outbox == [] and mail.outbox == []
    assert not alert.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL).exists()


def test_a_delivery_being_sent_at_withdrawal_time_and_retried_is_never_sent_afterwards(
    fake_twilio, community, resident, referent, told, run_tasks, django_capture_on_commit_callbacks
):
    """A worker had claimed the SMS when the referent withdrew the alert; Twilio then answered
    500. The retry must not send the withdrawn alert (its withdrawal notice went out already)."""
    alert = publish(resident, community, urgency=Alert.Urgency.URGENT)
    sms = alert.deliveries.select_related("alert").get(recipient=told, channel=Delivery.Channel.SMS)
    [sms], _claim_id = sending._claim([sms])  # a worker has claimed it
    withdraw(referent, alert, django_capture_on_commit_callbacks)
    accepted_before = len(fake_twilio.accepted)  # the withdrawal notice

    fake_twilio.answer(str(told.phone), 500)
    with pytest.raises(ChannelError) as failed:
        get_channel("sms").send(sms)  # the worker's send fails...
    assert sending._record_failure(sms, failed.value) is False  # ...and is to be retried
    deliveries_send(delivery_ids=[sms.id])  # the retry
    assert len(fake_twilio.accepted) == accepted_before
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.CANCELLED


def test_withdrawing_twice_is_refused(
    half_sent, referent, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    withdraw(referent, half_sent, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        withdraw(referent, half_sent, django_capture_on_commit_callbacks)
    assert len(sms_outbox) == 1


def test_a_pending_alert_cannot_be_withdrawn(community, resident, referent):
    community.alerts_need_approval = True
    community.save()
    alert = publish(resident, community)
    with pytest.raises(ValidationError):
        alert_withdraw(referent=referent, alert_id=alert.id)


def test_only_a_referent_of_the_neighbourhood_can_withdraw(half_sent, told, other_community):
    stranger = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    for user in (told, stranger):
        with pytest.raises(NotFound):
            alert_withdraw(referent=user, alert_id=half_sent.id)
    half_sent.refresh_from_db()
    assert half_sent.status == Alert.Status.PUBLISHED


def test_withdrawn_alert_stays_in_the_feed_marked_withdrawn(
    client, half_sent, referent, told, django_capture_on_commit_callbacks, community
):
    withdraw(referent, half_sent, django_capture_on_commit_callbacks)
    client.force_login(told)
    response = client.get(f"/communities/{community.id}/alerts/")
    assert response.status_code == 200
    assert "alert-withdrawn" in response.content.decode()


def test_withdraw_view_withdraws_for_the_referent_and_answers_404_to_a_member(
    client, half_sent, referent, told, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    url = f"/referent/alerts/{half_sent.id}/withdraw/"
    client.force_login(told)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Erreur"}).status_code == 302
    half_sent.refresh_from_db()
    assert half_sent.status == Alert.Status.WITHDRAWN
    assert half_sent.moderation_reason == "Erreur"
    assert [m["to"] for m in sms_outbox] == [str(told.phone)]


# A police warning is withdrawn by the police of its commune, or by platform staff ----------


@pytest.fixture
def officer(community):
    return PoliceOfficerFactory(official_commune=community.neighbourhood.commune)


@pytest.fixture
def sent_warning(
    officer, community, told, referent, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    """A police warning to `community`, sent to its members."""
    with django_capture_on_commit_callbacks(execute=True):
        alert = police_alert_publish(
            officer=officer,
            kind=Alert.Kind.POLICE,
            communities=[community],
            category=Alert.Category.SCAM,
            urgency=Alert.Urgency.URGENT,
            description="De faux agents du gaz passent dans le quartier.",
        )
    assert [m["to"] for m in sms_outbox] == [str(told.phone)]
    sms_outbox.clear()
    mail.outbox.clear()
    return alert


def police_withdraw(officer, alert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return police_alert_withdraw(officer=officer, alert_id=alert.id, reason="Ce sont de vrais agents.")


def withdrawals_logged(community):
    return ModerationEntry.objects.filter(community=community, action=ModerationEntry.Action.ALERT_WITHDRAWN)


def test_the_police_of_the_commune_withdraw_their_warning_and_those_told_are_told(
    sent_warning, officer, told, community, django_capture_on_commit_callbacks, sms_outbox
):
    police_withdraw(officer, sent_warning, django_capture_on_commit_callbacks)
    sent_warning.refresh_from_db()
    assert sent_warning.status == Alert.Status.WITHDRAWN
    assert sent_warning.moderated_by == officer
    assert [m["to"] for m in sms_outbox] == [str(told.phone)]
    assert [m.to for m in mail.outbox] == [[told.email]]
    assert [e.actor for e in withdrawals_logged(community)] == [officer]


def test_platform_staff_withdraw_a_police_warning(sent_warning, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True, is_superuser=True)
    police_withdraw(staff, sent_warning, django_capture_on_commit_callbacks)
    sent_warning.refresh_from_db()
    assert sent_warning.status == Alert.Status.WITHDRAWN


@pytest.mark.parametrize(
    "who",
    ["referent", "told", "mayor_office", "officer_of_another_commune", "police_without_commune", "staff"],
)
def test_no_one_else_withdraws_a_police_warning(
    request, sent_warning, community, who, other_community, django_capture_on_commit_callbacks, sms_outbox
):
    if who == "officer_of_another_commune":
        user = PoliceOfficerFactory(official_commune=other_community.neighbourhood.commune)
    elif who == "police_without_commune":
        user = PoliceOfficerFactory(official_commune=None)
    elif who == "staff":
        user = UserFactory(is_staff=True)
    else:
        user = request.getfixturevalue(who)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotFound):
        police_alert_withdraw(officer=user, alert_id=sent_warning.id)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotFound):
        alert_withdraw(referent=user, alert_id=sent_warning.id)
    sent_warning.refresh_from_db()
    assert sent_warning.status == Alert.Status.PUBLISHED
    assert not sent_warning.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL).exists()
    assert not withdrawals_logged(community).exists()
    assert sms_outbox == [] and mail.outbox == []


def test_the_police_do_not_withdraw_a_members_report(half_sent, officer):
    with pytest.raises(NotFound):
        police_alert_withdraw(officer=officer, alert_id=half_sent.id)
    half_sent.refresh_from_db()
    assert half_sent.status == Alert.Status.PUBLISHED


def test_a_withdrawn_notice_tells_the_referents_but_stays_out_of_the_members_log(
    officer, community, referent, told, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = police_alert_publish(
            officer=officer,
            kind=Alert.Kind.NOTICE,
            communities=[community],
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Repérages signalés la nuit.",
        )
    sms_outbox.clear()
    police_withdraw(officer, notice, django_capture_on_commit_callbacks)
    assert [m["to"] for m in sms_outbox] == [str(referent.phone)]
    assert not ModerationEntry.objects.filter(community=community).exists()
