"""What the shop holds about a person: the orders they placed (what, for how much, delivered
to whom and where, billed to what address), the events of those orders, their invoices and
the items their town hall offered them."""

from accounts.privacy import PersonalData, iso, register

from .models import FundedClaim, Order

# Orders still being carried out: their delivery details are needed to ship them, and they
# are invoiced when shipped (unless offered).
IN_PROGRESS = (Order.Status.CONFIRMED, Order.Status.PAID)


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
    """An invoice, and the name and address it bills, are kept ten years (art. L123-22 of the
    Code de commerce): invoiced orders keep them. A resident's other orders that are over
    (cancelled, or offered and shipped) lose the name and address they were delivered to;
    one still being carried out keeps them until it is shipped. A town hall's orders are the
    commune's: they stay as they are. Funded claims go with the account (cascade)."""
    Order.objects.filter(buyer=user, buyer_kind=Order.Buyer.RESIDENT, invoice__isnull=True).exclude(
        status__in=IN_PROGRESS
    ).update(delivery_name="", delivery_address="", billing_address="", tracking_number="")


register(
    PersonalData(
        app="shop",
        models=("shop.Order", "shop.OrderEvent", "shop.FundedClaim"),
        export=export,
        erase=erase,
        notes=(
            "Invoices, with the name and address they bill, are kept ten years (art. L123-22 of "
            "the Code de commerce), even once the buyer's account is erased.",
            "Erasing an account clears the delivery name and address of its orders that are over "
            "and were not invoiced; an order still being carried out keeps them.",
            "No retention job yet clears the delivery address of an order once it is delivered: "
            "there is no setting for that period. Until one is chosen, delivery addresses of "
            "orders not invoiced are kept while the account exists.",
        ),
    )
)
