import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from .models import User

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class MobilePhoneField(PhoneNumberField):
    """A mobile number, French by default: alerts are sent to it by SMS."""

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "FR")
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("help_text", _("For example 06 12 34 56 78. Used for alert text messages."))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Enter a valid mobile phone number, for example 06 12 34 56 78.")},
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        # An invalid number is left to the field's validator, whose message says how to write one.
        if value and value.is_valid() and phonenumbers.number_type(value) not in MOBILE_TYPES:
            raise ValidationError(
                _("This is not a mobile phone number: text messages cannot reach it."),
                code="not_mobile",
            )


class ProfileForm(forms.ModelForm):
    phone = MobilePhoneField()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "show_phone", "show_email"]


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased for good"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
