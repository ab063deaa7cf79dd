from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import MobilePhoneField
from .validators import validate_visible_name


class SignupForm(AllauthSignupForm):
    """allauth's signup form with what Vigilance needs, in the order a person fills it in."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[validate_visible_name],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        validators=[validate_visible_name],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = MobilePhoneField()
    accept_charter = forms.BooleanField(
        label=_("I have read and I accept the community charter"),
        help_text=format_lazy(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse_lazy("charter"),
            _("Read the community charter (opens in a new tab)"),
        ),
        error_messages={"required": _("You must accept the charter to join Vigilance.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["first_name", "last_name", "email", "phone", "password1", "password2", "accept_charter"]
        )

    def custom_signup(self, request, user):
        services.user_complete_signup(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            phone=self.cleaned_data["phone"],
        )
