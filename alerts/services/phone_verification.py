"""A 6-digit code sent by SMS proves that a member owns their mobile number.

The code's life is shared with the landline's, read by a call (`landline_verification`):
`code_issue` and `code_check` keep the same limits for both, each channel counted apart.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..channels.base import ChannelError
from ..models import PhoneVerification
from ..sms_backends import get_sms_backend

CODE_LIFETIME = timedelta(minutes=10)
MAX_CODES_PER_HOUR = 3
MAX_ATTEMPTS_PER_CODE = 5


def _hash_code(code: str, phone: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def code_issue(*, user, phone: str, channel: str) -> str:
    """A new code for `phone`, recorded hashed; a few times an hour at most per channel."""
    since = timezone.now() - timedelta(hours=1)
    issued = PhoneVerification.objects.filter(user=user, channel=channel, created_at__gte=since)
    if issued.count() >= MAX_CODES_PER_HOUR:
        raise ValidationError(_("Too many codes were sent. Try again in an hour."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneVerification.objects.create(
        user=user, phone=phone, channel=channel, code_hash=_hash_code(code, phone)
    )
    return code


def code_check(*, user, phone: str, channel: str, code: str, wrong_message: str):
    """Checks a code typed for `phone`; returns when it was used, or raises ValidationError."""
    verification = (
        PhoneVerification.objects.filter(
            user=user,
            phone=phone,
            channel=channel,
            used_at__isnull=True,
            created_at__gte=timezone.now() - CODE_LIFETIME,
        )
        .order_by("-created_at")
        .first()
    )
    if verification is None:
        raise ValidationError(_("This code has expired. Ask for a new one."))
    # Count the attempt first, atomically, so that parallel guesses cannot exceed the limit.
    PhoneVerification.objects.filter(id=verification.id).update(attempts=F("attempts") + 1)
    verification.refresh_from_db(fields=["attempts"])
    if verification.attempts > MAX_ATTEMPTS_PER_CODE:
        raise ValidationError(_("Too many wrong codes. Ask for a new one."))
    if not hmac.compare_digest(verification.code_hash, _hash_code(code.strip(), phone)):
        raise ValidationError(wrong_message)
    now = timezone.now()
    if not PhoneVerification.objects.filter(id=verification.id, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("This code has already been used."))
    return now


def phone_verification_start(*, user) -> None:
    """Sends a 6-digit code by SMS to the member's number, a few times an hour at most."""
    if not user.phone:
        raise ValidationError(_("Add your mobile number to your profile first."))
    phone = str(user.phone)
    code = code_issue(user=user, phone=phone, channel=PhoneVerification.Channel.SMS)
    body = _("Your Vigilance code is %(code)s. It expires in 10 minutes.") % {"code": code}
    try:
        get_sms_backend().send(to=phone, body=body)
    except ChannelError as error:
        raise ValidationError(
            _("The code could not be sent to this number. Check it and try again.")
        ) from error


def phone_verification_confirm(*, user, code: str) -> None:
    user.phone_verified_at = code_check(
        user=user,
        phone=str(user.phone),
        channel=PhoneVerification.Channel.SMS,
        code=code,
        wrong_message=_("This code is not right. Check the SMS and try again."),
    )
    user.save(update_fields=["phone_verified_at"])
