"""The rounds of a check-in: asked at the chosen days and hour, once; paused during an
absence; closed by the answer; missed rounds told to the neighbours named and the referents
only, with only what the resident shares; closed by a neighbour's "I checked"."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.exceptions import NotFound
from alerts.checkin_models import CheckInRound
from alerts.models import Delivery
from alerts.services import checkin
from alerts.services.inbound import inbound_sms_handle
from alerts.services.sending import deliveries_send
from alerts.tests.checkin_support import enrol, member_of, questions_sent
from neighbourhoods.models import Absence

pytestmark = pytest.mark.django_db
MONDAY_10 = timezone.make_aware(datetime(2026, 12, 7, 10, 0))


def send_all(purpose):
    ids = list(Delivery.objects.filter(purpose=purpose).values_list("id", flat=True))
    assert deliveries_send(delivery_ids=ids) == []


def test_the_resident_is_asked_at_the_chosen_day_and_hour_once_even_if_the_task_runs_twice(
    community, resident, django_capture_on_commit_callbacks, sms_outbox
):
    check_in = enrol(resident, [member_of(community)], hour=time(10, 0), weekdays=[0])
    with django_capture_on_commit_callbacks() as callbacks:
        assert checkin.check_in_rounds_start(now=MONDAY_10 + timedelta(minutes=1)) == 1
        assert checkin.check_in_rounds_start(now=MONDAY_10 + timedelta(minutes=2)) == 0
    assert len(callbacks) == 1
    [round_] = CheckInRound.objects.filter(check_in=check_in)
    assert round_.scheduled_for == MONDAY_10 and round_.status == CheckInRound.Status.ASKED
    [question] = Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN)
    assert question.recipient == resident and question.to == str(resident.phone) and question.alert is None
    send_all(Delivery.Purpose.CHECK_IN)
    [sms] = sms_outbox
    assert sms["to"] == str(resident.phone) and "OK" in sms["body"] and "07/12 10:00" in sms["body"]


@pytest.mark.parametrize(
    "now",
    [
        MONDAY_10 - timedelta(minutes=5),  # not yet
        MONDAY_10 + timedelta(days=1, minutes=1),  # a Tuesday
        MONDAY_10 + timedelta(hours=2),  # long past: not asked late
    ],
)
def test_no_round_outside_the_chosen_days_and_hour(community, resident, now):
    enrol(resident, [member_of(community)], hour=time(10, 0), weekdays=[0])
    assert checkin.check_in_rounds_start(now=now) == 0
    assert not CheckInRound.objects.exists()


def test_a_stopped_check_in_is_not_asked(community, resident):
    enrol(resident, [member_of(community)], hour=time(10, 0), weekdays=[0])
    checkin.check_in_stop(resident=resident)
    assert checkin.check_in_rounds_start(now=MONDAY_10) == 0


def test_the_check_in_is_paused_during_a_declared_absence(community, resident):
    enrol(resident, [member_of(community)], hour=time(10, 0), weekdays=[0])
    Absence.objects.create(
        user=resident, community=community, starts_on=date(2026, 12, 5), ends_on=date(2026, 12, 9)
    )
    assert checkin.check_in_rounds_start(now=MONDAY_10) == 0
    [round_] = CheckInRound.objects.all()
    assert round_.status == CheckInRound.Status.PAUSED
    assert not Delivery.objects.exists()
    assert checkin.check_in_rounds_miss(now=MONDAY_10 + timedelta(hours=5)) == 0


def asked_round(resident, neighbours, **choices) -> CheckInRound:
    enrol(resident, neighbours, **choices)
    assert checkin.check_in_rounds_start() == 1
    return CheckInRound.objects.get()


def test_ok_by_sms_closes_the_round_before_any_urgent_receipt(community, resident):
    round_ = asked_round(resident, [member_of(community)])
    reply = inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="ok")
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.ANSWERED and round_.answered_at
    assert "glad" in reply or "merci" in reply.lower() or "thank" in reply.lower()
    assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=3)) == 0


def test_a_reply_arriving_twice_changes_nothing_more(community, resident):
    round_ = asked_round(resident, [member_of(community)])
    first = inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="OK")
    round_.refresh_from_db()
    answered_at = round_.answered_at
    assert inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="OK") == first
    round_.refresh_from_db()
    assert round_.answered_at == answered_at and round_.status == CheckInRound.Status.ANSWERED


def test_no_answer_tells_the_neighbours_and_the_referent_by_sms_and_email_with_only_the_shared_text(
    community, resident, referent, outsider, sms_outbox, django_capture_on_commit_callbacks
):
    neighbour, bystander = member_of(community), member_of(community)
    round_ = asked_round(resident, [neighbour], shared_text="Clé chez Mme Martin")
    # While the question is still on its way, the delay has not started.
    assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=3)) == 0
    send_all(Delivery.Purpose.CHECK_IN)
    with django_capture_on_commit_callbacks() as callbacks:
        assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(minutes=30)) == 0  # delay: 60
        assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(minutes=61)) == 1
        assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(minutes=62)) == 0
    assert len(callbacks) == 1
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.MISSED
    notices = Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN_MISSED)
    assert {(d.recipient_id, d.channel) for d in notices} == {
        (neighbour.id, "sms"),
        (neighbour.id, "email"),
        (referent.id, "sms"),
        (referent.id, "email"),
    }
    sms_outbox.clear()
    send_all(Delivery.Purpose.CHECK_IN_MISSED)
    assert {m["to"] for m in sms_outbox} == {str(neighbour.phone), str(referent.phone)}
    assert {m.to[0] for m in mail.outbox} == {neighbour.email, referent.email}
    for body in [m["body"] for m in sms_outbox] + [m.body for m in mail.outbox]:
        assert "Cle chez Mme Martin" in body or "Clé chez Mme Martin" in body
        assert resident.last_name in body
    told = {m["to"] for m in sms_outbox} | {m.to[0] for m in mail.outbox}
    assert not told & {
        str(bystander.phone),
        bystander.email,
        str(outsider.phone),
        outsider.email,
        resident.email,
    }


def test_a_neighbour_who_checked_closes_the_round_and_others_get_404(community, resident, outsider):
    neighbour, bystander = member_of(community), member_of(community)
    round_ = asked_round(resident, [neighbour])
    questions_sent()
    checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=2))
    for stranger in (bystander, outsider, resident):
        with pytest.raises(NotFound):
            checkin.check_in_round_checked(viewer=stranger, round_id=round_.id)
    checkin.check_in_round_checked(viewer=neighbour, round_id=round_.id)
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.CHECKED and round_.checked_by == neighbour


def test_stop_suivi_by_sms_stops_the_check_in_and_confirms(community, resident):
    check_in = enrol(resident, [member_of(community)])
    reply = inbound_sms_handle(sid="SM9", from_phone=str(resident.phone), body="stop suivi")
    check_in.refresh_from_db()
    assert not check_in.active and check_in.stopped_at
    assert reply
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is None  # their alert SMS keep coming


def test_pressing_1_in_a_check_in_call_answers_it(community, resident, settings, client):
    from alerts import voice_backends

    settings.VOICE_BACKEND = "alerts.voice_backends.LocmemVoiceBackend"
    voice_backends.outbox.clear()
    round_ = asked_round(resident, [member_of(community)], channel="voice")
    [question] = Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN)
    assert question.channel == "voice"
    send_all(Delivery.Purpose.CHECK_IN)
    [call] = voice_backends.outbox
    assert f"?d={question.id}" in call["twiml"]
    from alerts.services.provider_status import call_acknowledge

    assert call_acknowledge(delivery_id=question.id, call_sid=call["sid"])
    assert checkin.check_in_answer_by_call(delivery_id=question.id)
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.ANSWERED
    voice_backends.outbox.clear()


def test_stop_suivi_instead_of_ok_alarms_no_one(community, resident):
    asked_round(resident, [member_of(community)])
    inbound_sms_handle(sid="SM-stop", from_phone=str(resident.phone), body="STOP SUIVI")
    assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=3)) == 0
    assert not Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN_MISSED).exists()


def test_a_resident_who_turned_sms_off_is_not_asked_by_sms(community, resident):
    enrol(resident, [member_of(community)])
    type(resident).objects.filter(id=resident.id).update(sms_opted_out_at=timezone.now())
    assert checkin.check_in_rounds_start() == 0
    assert CheckInRound.objects.get().status == CheckInRound.Status.PAUSED


def test_the_delay_counts_from_when_the_question_left_not_from_the_round(community, resident):
    round_ = asked_round(resident, [member_of(community)])  # delay: 60 minutes
    question = Delivery.objects.get(check_in_round=round_, purpose=Delivery.Purpose.CHECK_IN)
    later = timezone.now() + timedelta(minutes=50)  # the provider was down: sent 50 minutes late
    Delivery.objects.filter(id=question.id).update(status=Delivery.Status.SENT, sent_at=later)
    assert checkin.check_in_rounds_miss(now=later + timedelta(minutes=30)) == 0
    assert checkin.check_in_rounds_miss(now=later + timedelta(minutes=61)) == 1


def test_a_question_that_could_not_be_sent_tells_the_neighbours_after_the_delay(community, resident):
    round_ = asked_round(resident, [member_of(community)])
    Delivery.objects.filter(check_in_round=round_, purpose=Delivery.Purpose.CHECK_IN).update(
        status=Delivery.Status.FAILED
    )
    assert checkin.check_in_rounds_miss(now=timezone.now() + timedelta(minutes=61)) == 1
