"""Staff process orders here, through the table of allowed transitions (services.TRANSITIONS).

Orders and invoices are read-only: an order changes only through order_transition, and an
invoice is never deleted (numbers run without gaps). A product is withdrawn from sale, not
deleted: its funded claims (who already received a funded item) would go with it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_base import ReadOnlyAdmin

from . import services
from .forms import TransitionForm
from .models import Invoice, Order, OrderEvent, OrderLine, Product, SignageProgramme


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "description",
            "kind",
            "image",
            "price_excl_vat",
            "vat_rate",
            "stock",
            "is_active",
            "for_residents",
            "for_town_halls",
            "max_per_order",
        ]

    def clean_image(self):
        # A path missing from the static files would break the catalogue (manifest storage).
        image = self.cleaned_data["image"].strip()
        if image and not finders.find(image):
            raise forms.ValidationError(
                _("No static file at %(path)s (e.g. img/shop/sticker-kit.svg).") % {"path": image}
            )
        return image


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductForm
    list_display = ["name", "sku", "kind", "price_excl_vat", "vat_rate", "stock", "is_active"]
    list_filter = ["kind", "is_active", "for_residents", "for_town_halls"]
    search_fields = ["name", "sku"]

    def has_delete_permission(self, request, obj=None):
        return False  # untick "on sale" instead


@admin.register(SignageProgramme)
class SignageProgrammeAdmin(admin.ModelAdmin):
    list_display = ["commune", "is_mairie_vigilante", "budget_remaining"]
    list_filter = ["is_mairie_vigilante"]
    search_fields = ["commune__name", "commune__insee_code"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["funded_products"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    max_num = 0
    fields = ["sku", "name", "unit_price_excl_vat", "vat_rate", "quantity", "funded"]
    readonly_fields = fields


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    max_num = 0
    fields = ["created_at", "from_label", "to_label", "actor", "note"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("from"))
    def from_label(self, event):
        return Order.Status(event.from_status).label if event.from_status else "—"

    @admin.display(description=gettext_lazy("to"))
    def to_label(self, event):
        return event.to_status_label


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "buyer_kind", "commune", "status", "payment", "total_incl_vat", "created_at"]
    list_filter = ["status", "buyer_kind", "payment"]
    search_fields = ["reference", "buyer__email", "buyer__last_name", "siret", "purchase_order_number"]
    list_select_related = ["commune"]
    inlines = [OrderLineInline, OrderEventInline]
    readonly_fields = [f.name for f in Order._meta.fields]
    change_form_template = "admin/shop/order/change_form.html"

    def has_add_permission(self, request):
        return False  # orders are placed by buyers; staff only move them along

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only; a full save could undo a transition made meanwhile

    def get_urls(self):
        custom = [
            path(
                "<int:order_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="shop_order_transition",
            )
        ]
        return custom + super().get_urls()

    def transition_view(self, request, order_id):
        order = get_object_or_404(Order, id=order_id)
        if not self.has_change_permission(request, order):
            return redirect("admin:index")
        choices = [(s, Order.Status(s).label) for s in services.allowed_transitions(order)]
        form = TransitionForm(request.POST or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                services.order_transition(order_id=order.id, actor=request.user, **form.cleaned_data)
                self.log_change(request, order, f"status → {form.cleaned_data['to_status']}")
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Order %(ref)s updated.") % {"ref": order.reference})
                return redirect(reverse("admin:shop_order_change", args=[order.id]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the status of %(ref)s") % {"ref": order.reference},
            "form": form,
            "order": order,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/shop/order/transition.html", context)


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "issued_at"]
    search_fields = ["number", "order__reference"]
    readonly_fields = ["number", "order", "issued_at"]
