from . import notifications
from .emails import email_task


@email_task
def send_inactivity_warning(user_id: int) -> None:
    notifications.inactivity_warning_email(user_id=user_id)
