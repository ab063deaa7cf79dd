from django import forms
from django.utils.translation import gettext_lazy as _


class CheckoutForm(forms.Form):
    delivery_name = forms.CharField(label=_("Name on the letterbox"), max_length=150)
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )


class TownHallOrderForm(forms.Form):
    siret = forms.CharField(label=_("SIRET of the town hall"), max_length=20)
    purchase_order_number = forms.CharField(
        label=_("Purchase order number (numéro d'engagement)"), max_length=40
    )
    delivery_name = forms.CharField(label=_("Deliver to (service, person)"), max_length=150)
    delivery_address = forms.CharField(
        label=_("Delivery address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    billing_address = forms.CharField(
        label=_("Billing address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Note or reason (required to cancel)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tracking_number = forms.CharField(
        label=_("Carrier tracking number (to ship)"), required=False, max_length=60
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices
