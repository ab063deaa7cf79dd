from accounts.emails import email_task

from . import notifications


@email_task
def send_order_email(order_id: int, status: str) -> None:
    notifications.order_notify(order_id=order_id, status=status)
