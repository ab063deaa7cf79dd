"""A member's choices about how they are told: channels per urgency, quiet hours, SMS on or
off (also by answering STOP or START to an SMS), and email stopped from an unsubscribe link."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from phonenumber_field.phonenumber import to_python

from ..models import NotificationPreference

User = get_user_model()


def sms_opt_out(*, phone: str) -> int:
    """Turns SMS off for the accounts of this number. An empty or invalid number matches no one:
    accounts without a number store "", and must not all be opted out by a blank sender."""
    number = to_python(phone)
    if not number or not number.is_valid():
        return 0
    return User.objects.filter(phone=number, sms_opted_out_at__isnull=True).update(
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


@transaction.atomic
def email_alerts_stop(*, user_id: int) -> bool:
    """Turns alert emails off. False when the account no longer exists (the link came in an
    email sent before it was deleted): there is nothing left to send to, so nothing to do."""
    # The account row stays locked until the choice is saved: a deletion waits rather than
    # leaving a preference pointing at no one.
    if not User.objects.select_for_update().filter(id=user_id).exists():
        return False
    preference, _created = NotificationPreference.objects.get_or_create(user_id=user_id)
    preference.information_email = preference.vigilance_email = preference.urgent_email = False
    preference.save()
    return True
