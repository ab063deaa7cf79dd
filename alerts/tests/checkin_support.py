"""Helpers for the check-in tests: a resident enrolled with named neighbours, and a round
asked a few minutes ago (the times are real, so that an SMS answer finds its round)."""

from datetime import timedelta

from django.utils import timezone

from alerts.checkin_models import CheckIn
from alerts.services import checkin
from neighbourhoods.tests.factories import MembershipFactory


def enrol(resident, neighbours, *, hour=None, weekdays=range(7), **choices) -> CheckIn:
    hour = hour or (timezone.localtime() - timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    arguments = {
        "channel": CheckIn.Channel.SMS,
        "answer_delay": 60,
        "shared_text": "Problème cardiaque ; clé chez Mme Martin",
        **choices,
    }
    check_in = checkin.check_in_enrol(
        resident=resident,
        enrolled_by=resident,
        weekdays=list(weekdays),
        hour=hour,
        neighbour_ids=[n.id for n in neighbours],
        **arguments,
    )
    # Enrolled long ago: today's time is not before the enrolment.
    CheckIn.objects.filter(id=check_in.id).update(created_at=timezone.now() - timedelta(days=30))
    check_in.refresh_from_db()
    return check_in


def member_of(community, **fields):
    return MembershipFactory(community=community, **{f"user__{k}": v for k, v in fields.items()}).user


def questions_sent() -> None:
    """The questions of the rounds asked are handed to the provider now (the answer delay
    counts from then)."""
    from django.utils import timezone

    from alerts.models import Delivery

    Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN, sent_at__isnull=True).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
