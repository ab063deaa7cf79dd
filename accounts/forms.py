import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from .models import User
from .roles import is_mayor_office, is_police_officer
from .validators import validate_visible_name

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class MobilePhoneField(PhoneNumberField):
    """A mobile number, French by default: alerts are sent to it by SMS."""

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "FR")
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("help_text", _("For example 06 12 34 56 78. Used for alert text messages."))
        # Shows a French number as people write it ("06 12 34 56 78"), not as stored (+33612345678).
        kwargs.setdefault(
            "widget",
            RegionalPhoneNumberWidget(
                region=kwargs["region"], attrs={"autocomplete": "tel", "inputmode": "tel"}
            ),
        )
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
        # Browsers and password managers fill in what they know of the person.
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].validators.append(validate_visible_name)
        # Residents get alerts by SMS; police and town-hall accounts post them, from the admin.
        if is_police_officer(self.instance) or is_mayor_office(self.instance):
            self.fields["phone"].required = False


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased for good"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


def add_service_error(form, error: ValidationError, field: str | None = None) -> None:
    """Shows a service's ValidationError on a form: per field when the service named fields
    (unknown names go to the top of the form), otherwise on `field` or the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(field, message)
