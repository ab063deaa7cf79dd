"""Emails about a person's own account."""

from django.conf import settings

from .emails import send_templated_email
from .models import User


def inactivity_warning_email(*, user_id: int) -> None:
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_email(
        to=[user.email],
        template="account-inactive",
        context={"user": user, "days": settings.INACTIVE_ACCOUNT_GRACE_DAYS},
    )
