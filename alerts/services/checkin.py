"""Welfare check-ins: enrolment, the rounds asked at the resident's days and hour, the notices
when one goes unanswered, and what closes a round.

Every message goes through the delivery pipeline (alerts.services.sending): one row per
(round, recipient, channel, purpose) under a unique constraint, queued once committed. A round
is created once per (check-in, scheduled time), so the periodic task may run twice, or two
beat ticks overlap, and the resident is still asked once; a round moves between states only by
compare-and-set updates, so two answers (or an answer and a neighbour's "I checked") close it once.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound
from neighbourhoods.models import Absence

from .. import checkin_selectors as selectors
from .. import tasks
from ..checkin_models import DELAY_MAX, DELAY_MIN, CheckIn, CheckInRound
from ..models import Delivery

Status = CheckInRound.Status
# A round is asked if the task runs within this long after its time (a worker down for a
# while asks late rather than never); older times are not asked afterwards.
ASK_WINDOW = timedelta(minutes=30)
ANSWER_WINDOW = timedelta(hours=24)  # an OK this long after the question still closes it
OPEN = (Status.ASKED, Status.MISSED)


def check_in_enrol(
    *,
    resident,
    enrolled_by,
    weekdays: list[int],
    hour: time,
    channel: str,
    answer_delay: int,
    neighbour_ids: list[int],
    shared_text: str = "",
    consent: bool = False,
) -> CheckIn:
    """Signs a resident up (or changes their check-in). A referent of one of the resident's
    communities may do it for them, confirming that they have the resident's consent."""
    on_behalf = enrolled_by.id != resident.id
    if on_behalf and not selectors.is_referent_for(enrolled_by, resident):
        raise NotFound
    if on_behalf and not consent:
        raise ValidationError({"consent": _("Confirm that the resident agreed to this check-in.")})
    _check_choices(resident, weekdays=weekdays, channel=channel, answer_delay=answer_delay)
    neighbours = list(selectors.neighbour_choices(resident).filter(id__in=neighbour_ids))
    if not neighbours or len(neighbours) != len(set(neighbour_ids)):
        raise ValidationError({"neighbours": _("Name at least one neighbour from your communities.")})
    with transaction.atomic():
        check_in, _created = CheckIn.objects.update_or_create(
            resident=resident,
            defaults={
                "weekdays": sum(1 << day for day in set(weekdays)),
                "hour": hour.replace(second=0, microsecond=0),
                "channel": channel,
                "answer_delay": answer_delay,
                "shared_text": " ".join(shared_text.split())[:200],
                "enrolled_by": enrolled_by,
                "consent_recorded_at": timezone.now() if on_behalf else None,
                "active": True,
                "stopped_at": None,
            },
        )
        check_in.neighbours.set(neighbours)
    return check_in


def _check_choices(resident, *, weekdays: list[int], channel: str, answer_delay: int) -> None:
    errors = {}
    if not weekdays or any(day not in range(7) for day in weekdays):
        errors["weekdays"] = _("Choose at least one day.")
    if not DELAY_MIN <= answer_delay <= DELAY_MAX:
        errors["answer_delay"] = _("The delay is between 30 and 240 minutes.")
    if channel == CheckIn.Channel.SMS and not resident.can_receive_sms:
        errors["channel"] = _("An SMS check-in needs a verified mobile number that receives SMS.")
    if channel == CheckIn.Channel.VOICE and not _call_number(resident):
        errors["channel"] = _("A call needs a verified landline or mobile number.")
    if channel not in CheckIn.Channel.values:
        errors["channel"] = _("Choose SMS or a call.")
    if errors:
        raise ValidationError(errors)


def _call_number(user) -> str:
    if user.landline and user.landline_verified_at:
        return str(user.landline)
    return str(user.phone) if user.phone and user.phone_verified_at else ""


def check_in_stop(*, resident) -> bool:
    """Stops the resident's check-in (on the profile, or STOP SUIVI by SMS). True if it was on."""
    return bool(
        CheckIn.objects.filter(resident=resident, active=True).update(active=False, stopped_at=timezone.now())
    )


# Rounds --------------------------------------------------------------------------------------


def due_time(check_in: CheckIn, now: datetime) -> datetime | None:
    """The time of today's (or, just after midnight, yesterday's) round if it is due now."""
    local = timezone.localtime(now)
    for day in (local.date(), local.date() - timedelta(days=1)):
        scheduled = timezone.make_aware(datetime.combine(day, check_in.hour))
        if check_in.on_weekday(day.weekday()) and scheduled <= now < scheduled + ASK_WINDOW:
            return scheduled if scheduled >= check_in.created_at else None
    return None


def check_in_rounds_start(*, now: datetime | None = None) -> int:
    """Creates the rounds due now, once each, and asks the residents; a resident away on a
    declared absence is not asked (the round is recorded as paused). Returns rounds asked."""
    now = now or timezone.now()
    asked = 0
    check_ins = CheckIn.objects.filter(active=True).select_related("resident")
    local, earliest = timezone.localtime(now), timezone.localtime(now - ASK_WINDOW)
    if earliest.date() == local.date():  # around midnight, `due_time` looks at yesterday too
        check_ins = check_ins.filter(hour__gt=earliest.time(), hour__lte=local.time())
    for check_in in check_ins:
        scheduled = due_time(check_in, now)
        if scheduled is not None and _start_round(check_in, scheduled, now):
            asked += 1
    return asked


def _away(resident, day) -> bool:
    return Absence.objects.filter(user=resident, starts_on__lte=day, ends_on__gte=day).exists()


def _start_round(check_in: CheckIn, scheduled: datetime, now: datetime) -> bool:
    # Away on a declared absence, or every SMS turned off (STOP): asking would only alarm the neighbours.
    resident = check_in.resident
    unreachable = check_in.channel == CheckIn.Channel.SMS and not resident.can_receive_sms
    paused = unreachable or _away(resident, timezone.localtime(scheduled).date())
    try:
        with transaction.atomic():
            round_, created = CheckInRound.objects.get_or_create(
                check_in=check_in,
                scheduled_for=scheduled,
                defaults={
                    "status": Status.PAUSED if paused else Status.ASKED,
                    "asked_at": None if paused else now,
                },
            )
            if not created or paused:
                return False
            channel = (
                Delivery.Channel.SMS if check_in.channel == CheckIn.Channel.SMS else Delivery.Channel.VOICE
            )
            to = str(resident.phone) if channel == Delivery.Channel.SMS else _call_number(resident)
            Delivery.objects.create(
                check_in_round=round_,
                recipient=resident,
                channel=channel,
                purpose=Delivery.Purpose.CHECK_IN,
                to=to,
            )
            _queue_on_commit(round_.id, Delivery.Purpose.CHECK_IN)
    except IntegrityError:  # another run created the same round at the same moment
        return False
    return True


def _queue_on_commit(round_id: int, purpose: str) -> None:
    def queue_round():
        ids: dict[str, list[int]] = {}
        rows = Delivery.objects.filter(
            check_in_round_id=round_id, purpose=purpose, status=Delivery.Status.QUEUED
        ).values_list("id", "channel")
        for pk, channel in rows:
            ids.setdefault(channel, []).append(pk)
        tasks.queue_batches(ids)

    transaction.on_commit(queue_round, robust=True)


def check_in_rounds_miss(*, now: datetime | None = None) -> int:
    """Rounds whose delay passed without an answer become missed, and the neighbours named and
    the resident's referents are told, by SMS and email, with only what the resident shares."""
    now = now or timezone.now()
    missed = 0
    rounds = CheckInRound.objects.filter(
        status=Status.ASKED, asked_at__lt=now - timedelta(minutes=DELAY_MIN), check_in__active=True
    )  # a check-in stopped meanwhile (STOP SUIVI instead of OK) alarms no one
    for round_ in rounds.select_related("check_in__resident"):
        asked = _asked_since(round_)
        if asked is None or asked + timedelta(minutes=round_.check_in.answer_delay) > now:
            continue
        with transaction.atomic():
            if not CheckInRound.objects.filter(id=round_.id, status=Status.ASKED).update(
                status=Status.MISSED, missed_at=now
            ):
                continue  # answered meanwhile, or another run took it
            Delivery.objects.bulk_create(_notices(round_), ignore_conflicts=True)
            _queue_on_commit(round_.id, Delivery.Purpose.CHECK_IN_MISSED)
        missed += 1
    return missed


QUESTION_ON_ITS_WAY = (
    Delivery.Status.SCHEDULED,
    Delivery.Status.QUEUED,
    Delivery.Status.SENDING,
    Delivery.Status.CHECKING,
)


def _asked_since(round_: CheckInRound) -> datetime | None:
    """When the resident was asked: once the question is handed to the provider, the delay
    counts from then (a provider down for an hour must not alarm the neighbours); None while
    it is still on its way. A question that could not be sent at all counts from the round's
    start: then the neighbours are better told."""
    questions = Delivery.objects.filter(check_in_round=round_, purpose=Delivery.Purpose.CHECK_IN)
    sent = (
        questions.filter(sent_at__isnull=False).order_by("sent_at").values_list("sent_at", flat=True).first()
    )
    if sent is not None:
        return sent
    if questions.filter(status__in=QUESTION_ON_ITS_WAY).exists():
        return None
    return round_.asked_at


def _notices(round_: CheckInRound) -> list[Delivery]:
    rows = []
    for user in selectors.watchers_of(round_.check_in):
        channels = [(Delivery.Channel.SMS, str(user.phone))] if user.can_receive_sms else []
        if user.email:
            channels.append((Delivery.Channel.EMAIL, user.email))
        rows.extend(
            Delivery(
                check_in_round=round_,
                recipient=user,
                channel=channel,
                purpose=Delivery.Purpose.CHECK_IN_MISSED,
                to=to,
            )
            for channel, to in channels
        )
    return rows


# What closes a round -------------------------------------------------------------------------


def open_round_of(resident, now: datetime) -> CheckInRound | None:
    """The resident's latest round still open (asked or missed) in the last day."""
    return (
        CheckInRound.objects.filter(
            check_in__resident=resident, status__in=OPEN, asked_at__gte=now - ANSWER_WINDOW
        )
        .order_by("-scheduled_for")
        .first()
    )


def check_in_answer(*, resident, now: datetime | None = None) -> bool:
    """The resident answered (OK by SMS, 1 during the call): their open round is closed, once."""
    now = now or timezone.now()
    round_ = open_round_of(resident, now)
    if round_ is None:
        return False
    return bool(
        CheckInRound.objects.filter(id=round_.id, status__in=OPEN).update(
            status=Status.ANSWERED, answered_at=now
        )
    )


def check_in_answer_by_call(*, delivery_id: int) -> bool:
    """1 pressed during a check-in call answers its round."""
    delivery = (
        Delivery.objects.filter(
            id=delivery_id, purpose=Delivery.Purpose.CHECK_IN, channel=Delivery.Channel.VOICE
        )
        .select_related("check_in_round")
        .first()
    )
    if delivery is None:
        return False
    return bool(
        CheckInRound.objects.filter(id=delivery.check_in_round_id, status__in=OPEN).update(
            status=Status.ANSWERED, answered_at=timezone.now()
        )
    )


def check_in_round_checked(*, viewer, round_id: int) -> CheckInRound:
    """A neighbour named (or a referent) went to see: the missed round is closed."""
    round_ = selectors.missed_round_for(viewer, round_id)
    now = timezone.now()
    if CheckInRound.objects.filter(id=round_.id, status=Status.MISSED).update(
        status=Status.CHECKED, checked_by=viewer, checked_at=now
    ):
        round_.status, round_.checked_by, round_.checked_at = Status.CHECKED, viewer, now
    return round_
