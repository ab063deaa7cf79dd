from django import forms
from django.utils.translation import gettext_lazy as _


class CheckoutForm(forms.Form):
    # The order's own errors (stock, an empty cart) are about the cart, not these fields.
    non_field_error_fields = ()

    delivery_name = forms.CharField(
        label=_("Name on the letterbox"),
        max_length=150,
        error_messages={"required": _("Give the name on the letterbox.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=500,
        error_messages={"required": _("Give the delivery address.")},
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
    """No status is chosen in advance: staff pick one, so a cancellation is never a default."""

    to_status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Reason given to the buyer (required to cancel)"),
        help_text=_("Shown to the buyer on their order and in the email."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Staff note"),
        help_text=_("Seen by staff only, never by the buyer."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tracking_number = forms.CharField(
        label=_("Carrier tracking number (to ship)"), required=False, max_length=60
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [("", _("Choose the new status")), *choices] if choices else []

    @property
    def can_change(self) -> bool:
        return bool(self.fields["to_status"].choices)
