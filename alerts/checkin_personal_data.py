"""What the welfare check-in holds about a person: their own check-in and its rounds, and the
check-ins that name them. Declared apart from the rest of the alerts app (and registered by
alerts.personal_data) because it is a feature of its own, with its own retention."""

from datetime import timedelta

from django.utils import timezone

from accounts.privacy import PersonalData, iso, register

from .checkin_models import CheckIn, CheckInRound

ROUND_RETENTION = timedelta(days=90)


def export(user) -> dict:
    check_in = CheckIn.objects.filter(resident=user).prefetch_related("neighbours").first()
    return {
        "check_in": _check_in(check_in) if check_in else None,
        "check_ins_naming_me": [
            name or ""
            for name in CheckIn.objects.filter(neighbours=user).values_list("resident__first_name", flat=True)
        ],
        "check_ins_i_checked": [
            iso(at)
            for at in CheckInRound.objects.filter(checked_by=user).values_list("checked_at", flat=True)
        ],
    }


def _check_in(check_in: CheckIn) -> dict:
    rounds = check_in.rounds.order_by("scheduled_for").values_list(
        "scheduled_for", "status", "asked_at", "answered_at", "missed_at", "checked_at"
    )
    return {
        "weekdays": check_in.weekday_list(),
        "hour": iso(check_in.hour),
        "channel": check_in.channel,
        "answer_delay_minutes": check_in.answer_delay,
        "neighbours": [n.get_full_name() for n in check_in.neighbours.all()],
        "shared_text": check_in.shared_text,
        "enrolled_by_someone_else": check_in.enrolled_by_id not in (None, check_in.resident_id),
        "consent_recorded_at": iso(check_in.consent_recorded_at),
        "active": check_in.active,
        "stopped_at": iso(check_in.stopped_at),
        "rounds": [
            {
                "scheduled_for": iso(scheduled),
                "status": status,
                "asked_at": iso(asked),
                "answered_at": iso(answered),
                "missed_at": iso(missed),
                "checked_at": iso(checked),
            }
            for scheduled, status, asked, answered, missed, checked in rounds
        ],
    }


def check_in_rounds_forget(*, now=None) -> int:
    """A round (and its messages) is kept ROUND_RETENTION, then deleted."""
    now = now or timezone.now()
    deleted, _ = CheckInRound.objects.filter(scheduled_for__lt=now - ROUND_RETENTION).delete()
    return deleted


register(
    PersonalData(
        app="alerts.check_in",
        models=("alerts.CheckIn", "alerts.CheckInRound"),
        export=export,
        erase=None,  # the check-in goes with the account (cascade); a round they checked forgets them
        retention={"check_in_rounds_forgotten": check_in_rounds_forget},
        notes=(
            "A welfare check-in is kept while it exists and deleted with the account; each of "
            "its rounds (and the messages it sent) is deleted after 90 days.",
        ),
    )
)
