"""A member's landline, called for urgent alerts only once a call has read them a code that
they typed back: the same limits as the SMS code (`phone_verification`), counted apart."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python

from accounts.forms import validate_landline

from ..channels.base import ChannelError
from ..models import PhoneVerification
from ..voice_backends import get_voice_backend
from ..voice_text import code_call_twiml
from .phone_verification import code_check, code_issue

VOICE = PhoneVerification.Channel.VOICE


def landline_set(*, user, landline) -> bool:
    """Stores the member's landline; a new number must be verified again. Returns whether it
    changed."""
    number = to_python(landline)
    validate_landline(number)
    if user.landline and to_python(user.landline).as_e164 == number.as_e164:
        return False
    user.landline, user.landline_verified_at = number, None
    user.save(update_fields=["landline", "landline_verified_at"])
    return True


def landline_remove(*, user) -> None:
    """No call goes to the member any more."""
    user.landline, user.landline_verified_at = "", None
    user.save(update_fields=["landline", "landline_verified_at"])


def landline_verification_start(*, user) -> None:
    """Calls the member's landline, which reads a 6-digit code twice."""
    if not user.landline:
        raise ValidationError(_("Add your landline first."))
    landline = str(user.landline)
    code = code_issue(user=user, phone=landline, channel=VOICE)
    try:
        get_voice_backend().call(to=landline, twiml=code_call_twiml(code))
    except ChannelError as error:
        raise ValidationError(_("This number could not be called. Check it and try again.")) from error


def landline_verification_confirm(*, user, code: str) -> None:
    if not user.landline:
        raise ValidationError(_("Add your landline first."))
    user.landline_verified_at = code_check(
        user=user,
        phone=str(user.landline),
        channel=VOICE,
        code=code,
        wrong_message=_("This code is not right. Check the code read by the call and try again."),
    )
    user.save(update_fields=["landline_verified_at"])
