from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class Product(models.Model):
    """A piece of deterrent signage. Prices are excluding VAT; the VAT rate is per product."""

    class Kind(models.TextChoices):
        STICKER = "sticker", _("sticker")
        KIT = "kit", _("sticker kit")
        SIGN = "sign", _("street sign")
        PACK = "pack", _("street pack")

    sku = models.CharField(_("SKU"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    image = models.CharField(_("picture (static path)"), max_length=200, blank=True)
    price_excl_vat = models.DecimalField(
        _("price excl. VAT (€)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)
    for_residents = models.BooleanField(_("residents may order it"), default=True)
    for_town_halls = models.BooleanField(_("town halls may order it"), default=True)
    max_per_order = models.PositiveIntegerField(_("maximum per order"), default=50)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_excl_vat__gte=0), name="price_not_negative")
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @property
    def price_incl_vat(self) -> Decimal:
        from .pricing import with_vat

        return with_vat(self.price_excl_vat, self.vat_rate)


class SignageProgramme(models.Model):
    """A commune that funds signage for its residents: a Mairie Vigilante."""

    commune = models.OneToOneField(
        "neighbourhoods.Commune",
        on_delete=models.CASCADE,
        related_name="signage_programme",
        verbose_name=_("commune"),
    )
    is_mairie_vigilante = models.BooleanField(_("Mairie Vigilante"), default=True)
    budget_remaining = models.DecimalField(
        _("signage budget remaining (€ incl. VAT)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    funded_products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="funding_programmes",
        verbose_name=_("products offered to residents"),
    )

    class Meta:
        verbose_name = _("Mairie Vigilante programme")
        verbose_name_plural = _("Mairie Vigilante programmes")
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_remaining__gte=0), name="budget_never_negative")
        ]

    def __str__(self):
        return str(self.commune)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        PAID = "paid", _("paid")
        SHIPPED = "shipped", _("shipped")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    class Buyer(models.TextChoices):
        RESIDENT = "resident", _("resident")
        TOWN_HALL = "town_hall", _("town hall")

    class Payment(models.TextChoices):
        BANK_TRANSFER = "transfer", _("bank transfer")
        INVOICE = "invoice", _("on invoice (public body)")
        FUNDED = "funded", _("offered by the town hall")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="orders",
        verbose_name=_("buyer"),
    )
    buyer_kind = models.CharField(_("buyer"), max_length=10, choices=Buyer.choices)
    commune = models.ForeignKey(
        "neighbourhoods.Commune", on_delete=models.PROTECT, related_name="orders", verbose_name=_("commune")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    payment = models.CharField(_("payment"), max_length=10, choices=Payment.choices)
    delivery_name = models.CharField(_("deliver to"), max_length=150)
    delivery_address = models.TextField(_("delivery address"), max_length=500)
    billing_address = models.TextField(_("billing address"), max_length=500, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    purchase_order_number = models.CharField(
        _("purchase order number (numéro d'engagement)"), max_length=40, blank=True
    )
    total_excl_vat = models.DecimalField(_("total excl. VAT"), **MONEY)
    total_vat = models.DecimalField(_("VAT"), **MONEY)
    total_incl_vat = models.DecimalField(_("total incl. VAT"), **MONEY)
    funded_amount = models.DecimalField(_("offered by the town hall"), default=Decimal("0"), **MONEY)
    # How the order was priced (shop.pricing): incl. VAT per line for residents, excl. VAT for town
    # halls. Kept on the order so that an order, and its invoice, never change once placed.
    prices_incl_vat = models.BooleanField(_("prices include VAT"), default=False, db_default=False)
    tracking_number = models.CharField(_("carrier tracking number"), max_length=60, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference


class OrderLine(models.Model):
    """What was bought, copied at purchase time: later catalogue edits never change it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    unit_price_excl_vat = models.DecimalField(_("unit price excl. VAT"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    funded = models.BooleanField(_("offered by the town hall"), default=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="line_quantity_positive")
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class OrderEvent(models.Model):
    """One change of an order's status: who, when, from what to what, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("staff note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("change of status")
        verbose_name_plural = _("history of the order")

    def __str__(self):
        return f"{self.order}: {self.from_status} → {self.to_status}"

    @property
    def to_status_label(self) -> str:
        return Order.Status(self.to_status).label


class FundedClaim(models.Model):
    """A resident received a product offered by the town hall: once per household member."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="funded_claims")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="one_funded_item_per_person")]

    def __str__(self):
        return f"{self.user} — {self.product}"


class InvoiceCounter(models.Model):
    """The last invoice number issued, per year; locked while a number is taken: no gaps."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["number"]

    def __str__(self):
        return self.number
