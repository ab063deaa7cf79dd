"""Writes and reads of a person's own account."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from phonenumber_field.phonenumber import to_python

from .models import User
from .privacy import user_erase
from .tasks import send_inactivity_warning
from .validators import validate_visible_name


def user_complete_signup(*, user: User, first_name: str, last_name: str, phone) -> User:
    """Stores what the signup form asks beyond email and password; the charter is accepted now."""
    _check_names({"first_name": first_name, "last_name": last_name})
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone
    user.charter_accepted_at = timezone.now()
    user.save()
    return user


def profile_update(*, user: User, **fields) -> User:
    allowed = {"first_name", "last_name", "phone", "show_phone", "show_email"}
    _check_names(fields)
    update_fields = list(fields)
    if "phone" in fields and _e164(fields["phone"]) != _stored_phone(user):
        # A new number must be verified again before any alert SMS goes to it.
        user.phone_verified_at = None
        update_fields.append("phone_verified_at")
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{name} is not a profile field")
        setattr(user, name, value)
    user.save(update_fields=update_fields)
    return user


def _check_names(fields: dict) -> None:
    """Every way a name is written (signup, profile page, admin) refuses invisible characters."""
    errors = {}
    for name in ("first_name", "last_name"):
        try:
            validate_visible_name(fields.get(name, ""))
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def user_delete(*, user: User) -> None:
    """Erases the account and its personal data.

    Each app erases what it holds (accounts/personal_data.py); memberships, email addresses
    and referent roles go with the user row; records that only mention the user (who decided
    a request, who created a community) keep their content and lose the reference.
    """
    user_erase(user=user)


def _e164(phone) -> str:
    return to_python(phone).as_e164 if phone else ""


def _stored_phone(user: User) -> str:
    # Compared with the database, not with `user`: a ModelForm bound to `user` has already
    # copied the new number onto it by the time its view calls profile_update.
    return _e164(User.objects.filter(pk=user.pk).values_list("phone", flat=True).first())


# Inactive accounts ----------------------------------------------------------------------


def _inactive_since(cutoff):
    """Accounts whose last sign-in (or sign-up, if they never signed in) is before `cutoff`."""
    return User.objects.filter(is_superuser=False, is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def accounts_warn_inactive(*, now=None) -> int:
    """Warns by email the accounts unused for INACTIVE_ACCOUNT_MONTHS that they will be deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=30 * settings.INACTIVE_ACCOUNT_MONTHS)
    to_warn = _inactive_since(cutoff).filter(
        Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=F("last_login"))
    )
    count = 0
    for user_id in to_warn.values_list("id", flat=True).iterator():
        # Marked first: the grace period starts now, and the email is retried on its own.
        with transaction.atomic():
            User.objects.filter(id=user_id).update(inactivity_warned_at=now)
            send_inactivity_warning.delay_on_commit(user_id)
        count += 1
    return count


def accounts_delete_inactive(*, now=None) -> int:
    """Deletes the accounts warned INACTIVE_ACCOUNT_GRACE_DAYS ago that still did not sign in."""
    now = now or timezone.now()
    warned_before = now - timedelta(days=settings.INACTIVE_ACCOUNT_GRACE_DAYS)
    cutoff = now - timedelta(days=30 * settings.INACTIVE_ACCOUNT_MONTHS)
    doomed = (
        _inactive_since(cutoff)
        .filter(inactivity_warned_at__lt=warned_before)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=F("inactivity_warned_at")))
    )
    count = 0
    for user in doomed:
        user_delete(user=user)
        count += 1
    return count
