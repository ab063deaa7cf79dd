"""A member's choices about how they are told: channels per urgency, quiet hours, SMS on or
off (also by answering STOP or START to an SMS), and email stopped from an unsubscribe link."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import NotificationPreference

User = get_user_model()


def sms_opt_out(*, phone: str) -> int:
    return User.objects.filter(phone=phone, sms_opted_out_at__isnull=True).update(
        sms_opted_out_at=timezone.now()
    )


def sms_opt_in(*, phone: str) -> int:
    return User.objects.filter(phone=phone).update(sms_opted_out_at=None)


def sms_preference_set(*, user, enabled: bool) -> None:
    user.sms_opted_out_at = None if enabled else timezone.now()
    user.save(update_fields=["sms_opted_out_at"])


def notification_settings_save(*, user, form_data: dict, preference: NotificationPreference) -> None:
    preference.user = user
    for field in NotificationPreference.CHOICE_FIELDS:
        setattr(preference, field, form_data[field])
    preference.save()
    if form_data["sms_enabled"] == (user.sms_opted_out_at is not None):
        sms_preference_set(user=user, enabled=form_data["sms_enabled"])


def email_alerts_stop(*, user_id: int) -> None:
    preference, _created = NotificationPreference.objects.get_or_create(user_id=user_id)
    preference.information_email = preference.vigilance_email = preference.urgent_email = False
    preference.save()
