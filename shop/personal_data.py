"""What the shop holds about a person: the orders they placed (what, for how much, delivered
to whom and where, billed to what address), the events of those orders, their invoices and
the items their town hall offered them."""

from django.conf import settings
from django.db.models import Case, F, When
from django.utils import translation
from django.utils.translation import gettext

from accounts.privacy import PersonalData, iso, register

from .models import FundedClaim, Order
from .services import order_transition

# Not paid (nor invoiced: invoices are issued at shipping): cancelled when the buyer goes.
UNPAID = (Order.Status.PENDING, Order.Status.CONFIRMED)
# Paid, not shipped yet: the parcel still needs its name and address, and is invoiced when it
# leaves.
PAID_TO_SHIP = (Order.Status.PAID,)


def export(user) -> dict:
    orders = (
        Order.objects.filter(buyer=user)
        .select_related("commune", "invoice")
        .prefetch_related("lines", "events")
        .order_by("created_at", "id")
    )
    return {
        "orders": [_order(order) for order in orders],
        "items_offered_by_the_town_hall": [
            {"sku": sku, "product": name, "order": reference}
            for sku, name, reference in FundedClaim.objects.filter(user=user)
            .order_by("id")
            .values_list("product__sku", "product__name", "order__reference")
        ],
    }


def _order(order: Order) -> dict:
    invoice = getattr(order, "invoice", None)
    return {
        "reference": order.reference,
        "placed_as": order.buyer_kind,
        "commune": order.commune.name,
        "status": order.status,
        "payment": order.payment,
        "placed_at": iso(order.created_at),
        "delivery_name": order.delivery_name,
        "delivery_address": order.delivery_address,
        "billing_address": order.billing_address,
        "siret": order.siret,
        "purchase_order_number": order.purchase_order_number,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "unit_price_excl_vat": str(line.unit_price_excl_vat),
                "vat_rate": str(line.vat_rate),
                "quantity": line.quantity,
                "offered_by_the_town_hall": line.funded,
            }
            for line in order.lines.all()
        ],
        "total_excl_vat": str(order.total_excl_vat),
        "total_vat": str(order.total_vat),
        "total_incl_vat": str(order.total_incl_vat),
        "offered_by_the_town_hall": str(order.funded_amount),
        "tracking_number": order.tracking_number,
        "cancel_reason": order.cancel_reason,
        # The steps, not who made them nor the staff's notes.
        "history": [{"status": event.to_status, "at": iso(event.created_at)} for event in order.events.all()],
        "invoice": {"number": invoice.number, "issued_at": iso(invoice.issued_at)} if invoice else None,
    }


def erase(user) -> None:
    """What a resident's orders keep once the resident goes (a town hall's orders are the
    commune's: they stay as they are; funded claims go with the account, by cascade).

    - Not paid: cancelled through the order life cycle (stock and town-hall budget come back),
      then erased like any order that is over.
    - Invoiced: an invoice is an accounting document kept ten years (art. L123-22 of the Code
      de commerce), and its PDF is drawn from the order; the order keeps the buyer's name and
      the address the invoice prints (as its billing address), nothing else of theirs.
    - Paid, not shipped yet: keeps its name and address until it is shipped (and invoiced).
    - Anything else (cancelled, offered and shipped): loses name, address and tracking.
    """
    orders = Order.objects.filter(buyer=user, buyer_kind=Order.Buyer.RESIDENT)
    with translation.override(settings.LANGUAGE_CODE):  # read by staff, in the site's language
        reason = gettext("The buyer deleted their account.")
    for order_id in orders.filter(status__in=UNPAID, invoice__isnull=True).values_list("id", flat=True):
        order_transition(order_id=order_id, to_status=Order.Status.CANCELLED, actor=user, reason=reason)
    orders.filter(invoice__isnull=False).update(
        # The invoice prints the billing address, or else the delivery address: the same text.
        billing_address=Case(
            When(billing_address="", then=F("delivery_address")), default=F("billing_address")
        ),
        delivery_address="",
        tracking_number="",
    )
    orders.filter(invoice__isnull=True).exclude(status__in=PAID_TO_SHIP).update(
        delivery_name="", delivery_address="", billing_address="", tracking_number=""
    )


register(
    PersonalData(
        app="shop",
        models=("shop.Order", "shop.OrderEvent", "shop.FundedClaim"),
        export=export,
        erase=erase,
        notes=(
            "Invoices, with the name and address they bill, are kept ten years (art. L123-22 of "
            "the Code de commerce), even once the buyer's account is erased; their orders keep "
            "nothing else of the buyer's (no delivery address, no tracking number).",
            "Erasing an account cancels its orders not paid yet and clears the name and address "
            "of every order that is not invoiced; a paid order not shipped yet keeps them until "
            "it is shipped, then is invoiced.",
            "No retention job yet clears the delivery address of an order once it is delivered: "
            "there is no setting for that period. Until one is chosen, delivery addresses of "
            "orders not invoiced are kept while the account exists.",
        ),
    )
)
