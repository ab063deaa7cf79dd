from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def send_order_email(order_id: int, status: str) -> None:
    notifications.order_notify(order_id=order_id, status=status)
