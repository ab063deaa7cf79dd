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


# A French fixed line: geographic (01-05) or a box's line (09, "VoIP" to phonenumbers), in
# metropolitan France or overseas. Mobiles get SMS; other numbers (free, premium) cannot be called.
LANDLINE_TYPES = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.VOIP}
LANDLINE_REGIONS = {"FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF"}


def validate_landline(value) -> None:
    """Refuses what is not a valid French landline, saying why: the profile form and the service
    that stores the number (alerts.services.landline_verification) both call it."""
    if not value or not value.is_valid():
        raise ValidationError(_("Enter a valid landline number, for example 02 40 12 34 56."), code="invalid")
    kind = phonenumbers.number_type(value)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("This is a mobile number: add it as your mobile phone to receive alerts by SMS."),
            code="mobile",
        )
    if phonenumbers.region_code_for_number(value) not in LANDLINE_REGIONS:
        raise ValidationError(_("Only French landlines can be called."), code="not_french")
    if kind not in LANDLINE_TYPES:
        raise ValidationError(
            _("This is not a landline number: calls cannot be placed to it."), code="not_landline"
        )


class LandlineForm(forms.Form):
    landline = PhoneNumberField(
        region="FR",
        label=_("Landline"),
        help_text=_("For example 02 40 12 34 56. Called for urgent alerts only, once verified."),
        widget=RegionalPhoneNumberWidget(region="FR", attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "invalid": _("Enter a valid landline number, for example 02 40 12 34 56."),
            "required": _("Enter your landline number."),
        },
    )

    def clean_landline(self):
        landline = self.cleaned_data["landline"]
        validate_landline(landline)
        return landline


class LandlineCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code read by the call"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits."), "required": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
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
