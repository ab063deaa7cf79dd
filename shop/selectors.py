from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from accounts.exceptions import NotFound
from accounts.roles import is_mayor_office
from neighbourhoods.models import Membership
from neighbourhoods.selectors import official_commune_id

from .funding import funding_refusal
from .models import FundedClaim, Order, OrderLine, Product, SignageProgramme
from .pricing import LineAmounts, Totals, line_amounts, lines_amounts, quoted_incl_vat, totals


def resident_commune_id(viewer) -> int | None:
    """The commune of the viewer's (first) community; read once per request, kept on the user."""
    if not viewer.is_authenticated:
        return None
    if not hasattr(viewer, "_resident_commune_id"):
        viewer._resident_commune_id = (
            Membership.objects.filter(user=viewer, status=Membership.Status.APPROVED)
            .values_list("community__neighbourhood__commune_id", flat=True)
            .first()
        )
    return viewer._resident_commune_id


def can_order(viewer) -> bool:
    return resident_commune_id(viewer) is not None


def programme_for(viewer) -> SignageProgramme | None:
    commune_id = resident_commune_id(viewer)
    if commune_id is None:
        return None
    return SignageProgramme.objects.filter(commune_id=commune_id, is_mairie_vigilante=True).first()


def offered_product_ids(viewer) -> set[int]:
    """Products the viewer's town hall offers them now (budget left, not yet received)."""
    programme = programme_for(viewer)
    if programme is None:
        return set()
    received = set(FundedClaim.objects.filter(user=viewer).values_list("product_id", flat=True))
    funded = list(programme.funded_products.filter(is_active=True))
    return {
        product.id
        for product in funded
        if funding_refusal(programme, product, already_received=product.id in received, funded=funded) is None
    }


def catalogue(viewer) -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).order_by("kind", "name")


@dataclass
class CartLine:
    product: Product
    quantity: int
    offered: bool
    amounts: LineAmounts


def cart_lines(viewer, cart_items: dict[int, int]) -> tuple[list[CartLine], Totals]:
    """The cart priced from the database, incl. VAT, with what the town hall would offer (one unit)."""
    offered = offered_product_ids(viewer)
    lines = []
    for product in Product.objects.filter(id__in=cart_items, is_active=True).order_by("kind", "name"):
        quantity = cart_items[product.id]
        if product.id in offered:
            lines.append(_cart_line(product, 1, offered=True))
            quantity -= 1
        if quantity:
            lines.append(_cart_line(product, quantity, offered=False))
    return lines, totals(line.amounts for line in lines)


def _cart_line(product: Product, quantity: int, *, offered: bool) -> CartLine:
    amounts = line_amounts(
        unit_price_excl_vat=Decimal("0.00") if offered else product.price_excl_vat,
        vat_rate=product.vat_rate,
        quantity=quantity,
        incl_vat=quoted_incl_vat(Order.Buyer.RESIDENT),  # only residents have a cart
    )
    return CartLine(product, quantity, offered, amounts)


@dataclass
class PricedLine:
    line: OrderLine
    amounts: LineAmounts


@dataclass
class OrderSummary:
    """An order's lines and totals as its buyer is quoted them: what every page, email and invoice shows."""

    incl_vat: bool
    lines: list[PricedLine]
    totals: Totals


def order_summary(order: Order) -> OrderSummary:
    incl_vat = order.prices_incl_vat
    lines = sorted(order.lines.all(), key=lambda line: line.id)
    amounts = lines_amounts(lines, incl_vat=incl_vat)
    return OrderSummary(
        incl_vat,
        [PricedLine(line, a) for line, a in zip(lines, amounts, strict=True)],
        totals(amounts),
    )


def orders_of(viewer) -> QuerySet[Order]:
    return Order.objects.filter(buyer=viewer).order_by("-created_at", "-id")


def order_for(viewer, reference: str) -> Order:
    """The buyer's own order, or a town-hall order of the mayor's office's commune; else 404."""
    if not viewer.is_authenticated:
        raise NotFound
    order = (
        Order.objects.select_related("commune")
        .prefetch_related("lines", "events")
        .filter(reference=reference)
        .first()
    )
    if order is None:
        raise NotFound
    if order.buyer_id == viewer.id:
        return order
    if (
        order.buyer_kind == Order.Buyer.TOWN_HALL
        and is_mayor_office(viewer)
        and official_commune_id(viewer) == order.commune_id
    ):
        return order
    raise NotFound


def town_hall_orders(viewer) -> QuerySet[Order]:
    if not is_mayor_office(viewer):
        raise NotFound
    return (
        Order.objects.filter(commune_id=official_commune_id(viewer), buyer_kind=Order.Buyer.TOWN_HALL)
        .select_related("invoice")
        .order_by("-created_at", "-id")
    )


def town_hall_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True, for_town_halls=True).order_by("kind", "name")
