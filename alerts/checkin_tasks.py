"""Periodic tasks of the welfare check-ins (Celery beat, every minute): thin, each calls a
service. Kept apart from alerts.tasks because the check-in service queues its messages through
alerts.tasks; loaded by AlertsConfig.ready()."""

from celery import shared_task

from .services import checkin


@shared_task
def start_check_in_rounds() -> int:
    """Asks the residents whose check-in time has come (once per round, whatever the runs)."""
    return checkin.check_in_rounds_start()


@shared_task
def miss_check_in_rounds() -> int:
    """Rounds unanswered after their delay: the neighbours named and the referents are told."""
    return checkin.check_in_rounds_miss()
