from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from neighbourhoods.models import Community, Neighbourhood
from neighbourhoods.text import has_house_number

from .messages import POLICE_MESSAGE_MAX, police_message_fits, police_message_max, police_message_too_long
from .models import Alert, NotificationPreference


class AlertForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=Alert.Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Describe facts, behaviour and vehicles: “a grey van drove past slowly three times, "
            "plate starting with AB”. Never describe a person by their origin or appearance alone, "
            "and never report what happens inside a home."
        ),
    )
    street = forms.CharField(
        # A label that ends with "?" gets no ":" after it (Django's label suffix).
        label=_("Which street or place?"),
        max_length=150,
        help_text=_("The street or place, never a house number."),
    )
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty if it is happening now."),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent?"),
        choices=Alert.Urgency.choices,
        initial=Alert.Urgency.VIGILANCE,
        widget=forms.RadioSelect,
        help_text=_(
            "Urgent alerts are sent at once, even during quiet hours. In an emergency, call 17 first."
        ),
    )

    # The service (alerts.services.publishing) checks these again; checked here too, they are
    # shown with the form's other errors instead of in a second round.
    def clean_street(self):
        street = " ".join(self.cleaned_data["street"].split())
        if has_house_number(street):
            raise forms.ValidationError(_("Give the street only, never a house number."), code="house_number")
        return street

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at is not None:
            now = timezone.now()
            if occurred_at > now + timedelta(minutes=10):
                raise forms.ValidationError(_("This date is in the future."), code="future")
            if occurred_at < now - timedelta(days=30):
                raise forms.ValidationError(
                    _("Report only what happened in the last 30 days."), code="too_old"
                )
        return occurred_at


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this alert unfounded (optional)?"), max_length=300, required=False
    )


class NotificationPreferenceForm(forms.ModelForm):
    sms_enabled = forms.BooleanField(label=_("Receive alerts by SMS"), required=False)

    # Shown as groups, each a fieldset with its legend (templates/includes/form.html).
    FIELD_GROUPS = (
        (_("Text messages"), ("sms_enabled",)),
        (_("Information alerts"), ("information_sms", "information_email")),
        (_("Vigilance alerts"), ("vigilance_sms", "vigilance_email")),
        (_("Urgent alerts"), ("urgent_sms", "urgent_email")),
        (_("Quiet hours"), ("quiet_hours_start", "quiet_hours_end")),
    )
    # The form's own error (one end of the quiet hours without the other) is about these.
    non_field_error_fields = ("quiet_hours_start", "quiet_hours_end")

    class Meta:
        model = NotificationPreference
        fields = NotificationPreference.CHOICE_FIELDS
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        # Within its group's legend ("Urgent alerts"), a choice needs only the channel.
        labels = {
            **{name: _("SMS") for name in NotificationPreference.CHANNEL_FIELDS if name.endswith("_sms")},
            **{name: _("Email") for name in NotificationPreference.CHANNEL_FIELDS if name.endswith("_email")},
            "quiet_hours_start": pgettext_lazy("quiet hours", "Start"),
            "quiet_hours_end": pgettext_lazy("quiet hours", "End"),
        }
        help_texts = {
            "quiet_hours_start": _(
                "Non-urgent alerts that arrive during your quiet hours are sent when they end."
            ),
        }

    @property
    def non_field_error_field(self):
        return self[self.non_field_error_fields[0]]

    def field_groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELD_GROUPS]

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both the start and the end of your quiet hours, or neither."))
        return data


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code received by SMS"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PoliceAlertForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Alert.Kind.POLICE, _("Warning to the members")),
            (Alert.Kind.NOTICE, _("Confidential notice to the referents only")),
        ],
        widget=forms.RadioSelect,
        initial=Alert.Kind.POLICE,
    )
    whole_commune = forms.BooleanField(label=_("The whole commune"), required=False)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    category = forms.ChoiceField(label=_("Category"), choices=Alert.Category.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Alert.Urgency.choices, initial=Alert.Urgency.VIGILANCE
    )
    street = forms.CharField(label=_("Street or place"), max_length=150, required=False)
    description = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(commune=commune).order_by(
            "name"
        )
        self.fields["communities"].queryset = Community.objects.filter(
            neighbourhood__commune=commune
        ).order_by("name")
        self.fields["description"].help_text = _(
            "The SMS carries your message whole, up to %(max)d characters (%(notice_max)d for a "
            "confidential notice to referents; € and œ count as two): the sender, category, street "
            "and link make room for it."
        ) % {"max": POLICE_MESSAGE_MAX, "notice_max": police_message_max(Alert.Kind.NOTICE)}

    def clean_description(self):
        description = self.cleaned_data["description"]
        # A notice's SMS says "Confidential" first: it leaves fewer characters for the message.
        kind = self.cleaned_data.get("kind")
        if not police_message_fits(description, kind=kind):
            raise forms.ValidationError(
                police_message_too_long(description, kind=kind), code="too_long_for_sms"
            )
        return description
