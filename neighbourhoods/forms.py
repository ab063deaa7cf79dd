from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Community


class CommuneSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode or name of your commune"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "search"}),
    )


class JoinForm(forms.Form):
    street = forms.CharField(
        label=_("Your street"),
        max_length=150,
        help_text=_(
            "The name of the street only (e.g. “rue des Lilas”), never your house number: "
            "the other members see it in the directory."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message to the resident (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the removal (sent to the member)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommunityCreateForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None)
    name = forms.CharField(label=_("Name of the community"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    rules = forms.CharField(
        label=_("Rules"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods


class CommunityEditForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["description", "rules", "alerts_need_approval"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 8}),
        }


class HandOverForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("New referent"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = candidates
        self.fields["successor"].label_from_instance = lambda user: user.get_full_name() or user.email


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=_("Away from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Back on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note for those watching (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "E.g. “a neighbour waters the garden on Saturdays”. Never a door code or where a key is."
        ),
    )
    share_with_referent = forms.BooleanField(label=_("My referent may see it"), required=False, initial=True)
    neighbour_ids = forms.ModelMultipleChoiceField(
        label=_("Neighbours who may see it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbour_ids"].queryset = members
        self.fields["neighbour_ids"].label_from_instance = lambda m: f"{m.user.get_full_name()} — {m.street}"

    @classmethod
    def initial_from(cls, data) -> dict:
        """What the person typed and chose so far, to show again unchecked (after a search
        for neighbours, which is not a submission: no errors yet)."""
        return {
            "starts_on": data.get("starts_on", ""),
            "ends_on": data.get("ends_on", ""),
            "note": data.get("note", ""),
            "share_with_referent": bool(data.get("share_with_referent")),
            "neighbour_ids": data.getlist("neighbour_ids"),
        }
