from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def send_membership_email(membership_id: int, event: str) -> None:
    notifications.membership_notify(membership_id=membership_id, event=event)
