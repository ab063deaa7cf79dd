from datetime import time

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .checkin_models import DELAY_MAX, DELAY_MIN, WEEKDAY_NAMES, CheckIn

DELAYS = (30, 60, 90, 120, 180, 240)  # minutes, between DELAY_MIN and DELAY_MAX


class CheckInForm(forms.Form):
    """A resident's check-in; `neighbours` are chosen among the members of their communities."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    hour = forms.TimeField(
        label=_("Hour"), initial=time(10, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    channel = forms.ChoiceField(
        label=_("Asked by"), choices=CheckIn.Channel.choices, widget=forms.RadioSelect
    )
    answer_delay = forms.TypedChoiceField(
        label=_("Without an answer after"),
        choices=[(minutes, minutes) for minutes in DELAYS],
        coerce=int,
        initial=60,
    )
    neighbours = forms.ModelMultipleChoiceField(
        label=_("Neighbours to tell"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of your communities. Your referent is told too."),
    )
    shared_text = forms.CharField(
        label=_("What they may know"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only this is sent to them, e.g. “heart condition; a key is with Mrs X”."),
    )

    def __init__(self, *args, neighbour_choices, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Labelled here, in the language of the request (a `%` on a lazy text would fix it at import).
        delay = self.fields["answer_delay"]
        delay.choices = [(minutes, gettext("%(count)d minutes") % {"count": minutes}) for minutes in DELAYS]
        delay.help_text = gettext("Between %(least)d and %(most)d minutes.") % {
            "least": DELAY_MIN,
            "most": DELAY_MAX,
        }
        self.fields["neighbours"].queryset = neighbour_choices
        self.fields["neighbours"].label_from_instance = lambda user: user.get_full_name() or user.email
        if on_behalf:
            self.fields["consent"] = forms.BooleanField(
                label=_("The resident agreed to this check-in, and to what is shared."),
                required=True,
            )

    @staticmethod
    def initial_from(check_in: CheckIn | None) -> dict | None:
        if check_in is None:
            return None
        return {
            "weekdays": check_in.weekday_list(),
            "hour": check_in.hour,
            "channel": check_in.channel,
            "answer_delay": check_in.answer_delay,
            "neighbours": list(check_in.neighbours.all()),
            "shared_text": check_in.shared_text,
        }

    @staticmethod
    def initial_from_post(data) -> dict:
        """What was typed and chosen before a search, shown again as it was."""
        return {
            "weekdays": data.getlist("weekdays"),
            "hour": data.get("hour"),
            "channel": data.get("channel"),
            "answer_delay": data.get("answer_delay"),
            "neighbours": data.getlist("neighbours"),
            "shared_text": data.get("shared_text", ""),
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "weekdays": data["weekdays"],
            "hour": data["hour"],
            "channel": data["channel"],
            "answer_delay": data["answer_delay"],
            "neighbour_ids": [user.id for user in data["neighbours"]],
            "shared_text": data["shared_text"],
            "consent": data.get("consent", False),
        }
