import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from . import services
from .models import User

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class MobilePhoneField(PhoneNumberField):
    """A mobile number, French by default: alerts are sent to it by SMS."""

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "FR")
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault(
            "help_text", _("For example 06 12 34 56 78. Used for alert text messages.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Enter a valid mobile phone number, for example 06 12 34 56 78.")},
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and phonenumbers.number_type(value) not in MOBILE_TYPES:
            raise ValidationError(
                _("This is not a mobile phone number: text messages cannot reach it."),
                code="not_mobile",
            )


class SignupForm(forms.Form):
    """The fields allauth's signup form adds for Vigilance (see ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    phone = MobilePhoneField()
    accept_charter = forms.BooleanField(
        label=_("I have read and I accept the community charter"),
        error_messages={"required": _("You must accept the charter to join Vigilance.")},
    )

    def signup(self, request, user):
        services.user_complete_signup(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            phone=self.cleaned_data["phone"],
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
