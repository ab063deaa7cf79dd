"""Writes for the signage shop: placing orders, the order life cycle, invoices.

Prices, VAT and funding always come from the database, never from the request. Orders move
only along TRANSITIONS, through `order_transition`, which records an event for each change.
Stock and the Mairie Vigilante budget are changed under row locks, so that two buyers of the
last units, or of the last euros of a budget, cannot both get them.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound
from accounts.roles import is_mayor_office
from neighbourhoods.models import Membership
from neighbourhoods.selectors import official_commune_id

from . import tasks
from .funding import funding_refusal
from .models import (
    FundedClaim,
    Invoice,
    InvoiceCounter,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    SignageProgramme,
)
from .pricing import lines_amounts, quoted_incl_vat, totals, with_vat
from .siret import siret_normalised

Status = Order.Status
MAX_LINES = 20

# status -> the statuses it may move to
TRANSITIONS = {
    Status.PENDING: {Status.CONFIRMED, Status.CANCELLED},
    Status.CONFIRMED: {Status.PAID, Status.SHIPPED, Status.CANCELLED},
    Status.PAID: {Status.SHIPPED, Status.CANCELLED},
    Status.SHIPPED: {Status.DELIVERED, Status.PAID},
    Status.DELIVERED: {Status.PAID},
    Status.CANCELLED: set(),
}


@dataclass
class PlacedOrder:
    order: Order
    notes: list[str] = field(default_factory=list)


def parse_quantities(raw: dict) -> dict[int, int]:
    """Product id -> quantity from untrusted input; refuses what is not a sensible number."""
    items = {}
    for key, value in raw.items():
        try:
            product_id, quantity = int(key), int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("Quantities must be whole numbers.")) from None
        if quantity < 0 or quantity > 1000:
            raise ValidationError(_("Quantities must be between 1 and 1,000."))
        if quantity:
            items[product_id] = quantity
    if len(items) > MAX_LINES:
        raise ValidationError(_("Too many different products in one order."))
    return items


def _locked_products(items: dict[int, int], *, for_town_hall: bool) -> list[Product]:
    # Lock in id order so that two orders never wait on each other in a cycle.
    products = list(Product.objects.select_for_update().filter(id__in=items).order_by("id"))
    if len(products) != len(items):
        raise ValidationError(_("One of the products does not exist."))
    for product in products:
        allowed = product.for_town_halls if for_town_hall else product.for_residents
        if not product.is_active or not allowed:
            raise ValidationError(_("%(name)s is not on sale.") % {"name": product.name})
        if items[product.id] > product.max_per_order:
            raise ValidationError(
                _("At most %(max)d × %(name)s per order.")
                % {"max": product.max_per_order, "name": product.name}
            )
    return products


def _new_reference() -> str:
    return f"VIG-{timezone.now():%y%m}-{secrets.token_hex(3).upper()}"


def _resident_commune_id(user) -> int:
    if not user.is_authenticated:
        raise ValidationError(_("Join a community of your neighbourhood before ordering."))
    membership = (
        Membership.objects.filter(user=user, status=Membership.Status.APPROVED)
        .select_related("community__neighbourhood")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Join a community of your neighbourhood before ordering."))
    return membership.community.neighbourhood.commune_id


def _check_address(name: str, address: str) -> tuple[str, str]:
    name, address = " ".join(name.split()), address.strip()
    if not name or not address:
        raise ValidationError(_("Give a name and a delivery address."))
    if len(address) > 500 or len(name) > 150:
        raise ValidationError(_("The address is too long."))
    return name, address


@transaction.atomic
def order_place(*, buyer, items: dict[int, int], delivery_name: str, delivery_address: str) -> PlacedOrder:
    """A member orders signage; what their Mairie Vigilante offers is taken from its budget."""
    items = parse_quantities(items)
    if not items:
        raise ValidationError(_("Your cart is empty."))
    commune_id = _resident_commune_id(buyer)
    delivery_name, delivery_address = _check_address(delivery_name, delivery_address)
    products = _locked_products(items, for_town_hall=False)
    programme = (
        SignageProgramme.objects.select_for_update()
        .filter(commune_id=commune_id, is_mairie_vigilante=True)
        .first()
    )
    order = Order.objects.create(
        reference=_new_reference(),
        buyer=buyer,
        buyer_kind=Order.Buyer.RESIDENT,
        prices_incl_vat=quoted_incl_vat(Order.Buyer.RESIDENT),
        commune_id=commune_id,
        payment=Order.Payment.BANK_TRANSFER,
        delivery_name=delivery_name,
        delivery_address=delivery_address,
        total_excl_vat=0,
        total_vat=0,
        total_incl_vat=0,
    )
    notes, lines, funded_total = [], [], Decimal("0.00")
    for product in products:
        quantity = items[product.id]
        if programme and programme.funded_products.filter(id=product.id).exists():
            funded, note = _fund_one(programme, product, buyer, order)
            if note:
                notes.append(note)
            if funded:
                funded_total += with_vat(product.price_excl_vat, product.vat_rate)
                lines.append(_line(order, product, 1, funded=True))
                quantity -= 1
        if quantity:
            lines.append(_line(order, product, quantity))
    OrderLine.objects.bulk_create(lines)
    _set_totals(order, lines, funded_total)
    _change_status(order, Status.CONFIRMED, actor=buyer, note="")
    return PlacedOrder(order=order, notes=notes)


def _fund_one(programme, product, buyer, order) -> tuple[bool, str]:
    """Takes one offered unit from the (locked) programme's budget, if the funding rule allows."""
    received = FundedClaim.objects.filter(user=buyer, product=product).exists()
    refusal = funding_refusal(programme, product, already_received=received)
    if refusal:
        return False, refusal
    price = with_vat(product.price_excl_vat, product.vat_rate)
    SignageProgramme.objects.filter(id=programme.id).update(budget_remaining=F("budget_remaining") - price)
    programme.refresh_from_db(fields=["budget_remaining"])
    FundedClaim.objects.create(user=buyer, product=product, order=order)
    return True, ""


def _line(order, product, quantity, funded=False) -> OrderLine:
    return OrderLine(
        order=order,
        product=product,
        sku=product.sku,
        name=product.name,
        unit_price_excl_vat=Decimal("0.00") if funded else product.price_excl_vat,
        vat_rate=product.vat_rate,
        quantity=quantity,
        funded=funded,
    )


def _set_totals(order: Order, lines, funded_total: Decimal) -> None:
    amounts = lines_amounts(lines, incl_vat=order.prices_incl_vat)
    for name, value in totals(amounts).fields().items():
        setattr(order, name, value)
    order.funded_amount = funded_total
    if order.total_incl_vat == 0:
        order.payment = Order.Payment.FUNDED
    order.save()


@transaction.atomic
def town_hall_order_place(
    *,
    buyer,
    items: dict[int, int],
    siret: str,
    purchase_order_number: str,
    delivery_name: str,
    delivery_address: str,
    billing_address: str,
) -> Order:
    """A mayor's office orders signs for its commune, billed on invoice."""
    commune_id = official_commune_id(buyer) if is_mayor_office(buyer) else None
    if commune_id is None:
        raise NotFound
    items = parse_quantities(items)
    if not items:
        raise ValidationError(_("Choose at least one product."))
    siret = siret_normalised(siret)
    purchase_order_number = purchase_order_number.strip()
    if not purchase_order_number or len(purchase_order_number) > 40:
        raise ValidationError(_("Give the purchase order number (numéro d'engagement)."))
    delivery_name, delivery_address = _check_address(delivery_name, delivery_address)
    billing_address = billing_address.strip()
    if not billing_address or len(billing_address) > 500:
        raise ValidationError(_("Give the town hall's billing address."))
    products = _locked_products(items, for_town_hall=True)
    order = Order.objects.create(
        reference=_new_reference(),
        buyer=buyer,
        buyer_kind=Order.Buyer.TOWN_HALL,
        prices_incl_vat=quoted_incl_vat(Order.Buyer.TOWN_HALL),
        commune_id=commune_id,
        payment=Order.Payment.INVOICE,
        delivery_name=delivery_name,
        delivery_address=delivery_address,
        billing_address=billing_address,
        siret=siret,
        purchase_order_number=purchase_order_number,
        total_excl_vat=0,
        total_vat=0,
        total_incl_vat=0,
    )
    lines = [_line(order, product, items[product.id]) for product in products]
    OrderLine.objects.bulk_create(lines)
    _set_totals(order, lines, Decimal("0.00"))
    OrderEvent.objects.create(order=order, from_status="", to_status=Status.PENDING, actor=buyer)
    tasks.send_order_email.delay_on_commit(order.id, Status.PENDING)
    return order


# The order life cycle ----------------------------------------------------------------


@transaction.atomic
def order_transition(
    *, order_id: int, to_status: str, actor, note: str = "", reason: str = "", tracking_number: str = ""
) -> Order:
    """Moves an order along the table of allowed transitions (staff, from the admin).

    `note` is the staff's own, kept on the event and never shown to the buyer; `reason` is what
    the buyer is told of a cancellation (on the order page and in the email).
    """
    order = Order.objects.select_for_update().filter(id=order_id).first()
    if order is None:
        raise NotFound
    reason = reason.strip()
    if to_status == Status.CANCELLED:
        if not reason:
            raise ValidationError(_("Give the reason for the cancellation."))
        order.cancel_reason = reason[:1000]
    if to_status == Status.SHIPPED:
        tracking_number = tracking_number.strip()
        if not tracking_number:
            raise ValidationError(_("Give the carrier's tracking number."))
        order.tracking_number = tracking_number[:60]
    _change_status(order, to_status, actor=actor, note=note.strip())
    return order


def _change_status(order: Order, to_status: str, *, actor, note: str) -> None:
    from_status = order.status
    if to_status not in TRANSITIONS[from_status]:
        raise ValidationError(
            _("An order cannot go from “%(from)s” to “%(to)s”.")
            % {"from": _status_label(from_status), "to": _status_label(to_status)}
        )
    _guard_payment_order(order, to_status)
    if to_status == Status.CONFIRMED:
        _take_stock(order)
    elif to_status == Status.CANCELLED:
        _cancel(order, from_status)
    elif to_status == Status.SHIPPED and order.total_incl_vat > 0:
        _issue_invoice(order)
    order.status = to_status
    order.save()
    OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    tasks.send_order_email.delay_on_commit(order.id, to_status)


def _status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def allowed_transitions(order: Order) -> list[str]:
    """The statuses this order may move to now: the table, less what its payment forbids.

    In the order of the life cycle, so cancelling comes last.
    """
    allowed = TRANSITIONS[order.status]
    return [s for s in Status.values if s in allowed and _payment_rule_broken(order, s) is None]


def _guard_payment_order(order: Order, to_status: str) -> None:
    message = _payment_rule_broken(order, to_status)
    if message:
        raise ValidationError(message)


def _payment_rule_broken(order: Order, to_status: str) -> str | None:
    paid_later = order.payment in (Order.Payment.INVOICE, Order.Payment.FUNDED)
    if to_status == Status.SHIPPED and order.status == Status.CONFIRMED and not paid_later:
        return _("This order must be paid before it is shipped.")
    if (
        to_status == Status.PAID
        and order.status in (Status.SHIPPED, Status.DELIVERED)
        and order.payment != Order.Payment.INVOICE
    ):
        return _("Only orders on invoice are paid after shipping.")
    if to_status == Status.PAID and order.payment == Order.Payment.FUNDED:
        return _("This order is offered by the town hall: there is nothing to pay.")
    # An invoice order paid after shipping is "paid" again: it must not ship twice or be cancelled.
    if (
        order.status == Status.PAID
        and to_status in (Status.SHIPPED, Status.CANCELLED)
        and order.events.filter(to_status=Status.SHIPPED).exists()
    ):
        return _("This order has already been shipped.")
    return None


def _take_stock(order: Order) -> None:
    lines = list(order.lines.all())
    product_ids = [line.product_id for line in lines]
    products = {
        p.id: p for p in Product.objects.select_for_update().filter(id__in=product_ids).order_by("id")
    }
    needed: dict[int, int] = {}
    for line in lines:
        needed[line.product_id] = needed.get(line.product_id, 0) + line.quantity
    for product_id, quantity in needed.items():
        product = products.get(product_id)
        if product is None or product.stock < quantity:
            name = product.name if product else _("a product")
            raise ValidationError(
                _("Not enough %(name)s in stock (%(left)d left).")
                % {"name": name, "left": product.stock if product else 0}
            )
    for product_id, quantity in needed.items():
        Product.objects.filter(id=product_id).update(stock=F("stock") - quantity)


def _cancel(order: Order, from_status: str) -> None:
    if from_status != Status.PENDING:  # stock was taken at confirmation: give it back
        for line in order.lines.exclude(product=None):
            Product.objects.filter(id=line.product_id).update(stock=F("stock") + line.quantity)
    if order.funded_amount:
        SignageProgramme.objects.filter(commune_id=order.commune_id).update(
            budget_remaining=F("budget_remaining") + order.funded_amount
        )
        order.funded_claims.all().delete()


def _issue_invoice(order: Order) -> Invoice:
    """Takes the next number of the year under a row lock: numbers follow without gaps."""
    if hasattr(order, "invoice"):
        return order.invoice
    now = timezone.now()
    year = timezone.localtime(now).year  # the year printed on the invoice, not UTC's
    InvoiceCounter.objects.get_or_create(year=year)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Invoice.objects.create(order=order, number=f"F{year}-{counter.last_number:05d}", issued_at=now)
