"""Long order histories for the pagination tests, in one query."""

from decimal import Decimal

from shop.models import Order


def bulk_orders(buyer, commune, count: int, *, kind=Order.Buyer.RESIDENT, prefix="CMD"):
    """`count` orders of `buyer`, "<prefix>-000" the oldest; returns them oldest first."""
    return Order.objects.bulk_create(
        Order(
            reference=f"{prefix}-{number:03d}",
            buyer=buyer,
            buyer_kind=kind,
            commune=commune,
            status=Order.Status.CONFIRMED,
            payment=Order.Payment.INVOICE if kind == Order.Buyer.TOWN_HALL else Order.Payment.BANK_TRANSFER,
            delivery_name="Camille Martin",
            delivery_address="12 rue des Lilas",
            total_excl_vat=Decimal("10.00"),
            total_vat=Decimal("2.00"),
            total_incl_vat=Decimal("12.00"),
        )
        for number in range(count)
    )
