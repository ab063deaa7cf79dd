"""The cart lives in the session as {product id: quantity}; prices are never stored in it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Product

SESSION_KEY = "cart"


def items(session) -> dict[int, int]:
    return {int(k): int(v) for k, v in session.get(SESSION_KEY, {}).items()}


def _save(session, cart: dict[int, int]) -> None:
    session[SESSION_KEY] = {str(k): v for k, v in cart.items() if v > 0}


def set_quantity(session, *, product_id, quantity, add=False, offered_units=0) -> None:
    """Adds to or sets a product's quantity; `offered_units` are kept on top of the quantity set."""
    try:
        product_id, quantity = int(product_id), int(str(quantity).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Quantities must be whole numbers.")) from None
    product = Product.objects.filter(id=product_id, is_active=True, for_residents=True).first()
    if product is None:
        raise ValidationError(_("This product is not on sale."))
    cart = items(session)
    new = cart.get(product_id, 0) + quantity if add else quantity + offered_units
    if quantity < 0 or (add and quantity < 1):
        raise ValidationError(_("Quantities must be between 1 and %(max)d.") % {"max": product.max_per_order})
    if new > product.max_per_order:
        raise ValidationError(
            _("At most %(max)d × %(name)s per order.") % {"max": product.max_per_order, "name": product.name}
        )
    cart[product_id] = new
    _save(session, cart)


def drop_unavailable(session) -> list[str]:
    """Removes what is no longer on sale to residents; returns the names of what was removed.

    Without this a product withdrawn while in a cart could be neither ordered nor removed.
    """
    cart = items(session)
    available = set(
        Product.objects.filter(id__in=cart, is_active=True, for_residents=True).values_list("id", flat=True)
    )
    gone = [product_id for product_id in cart if product_id not in available]
    if not gone:
        return []
    _save(session, {product_id: quantity for product_id, quantity in cart.items() if product_id in available})
    return list(Product.objects.filter(id__in=gone).values_list("name", flat=True))


def clear(session) -> None:
    session.pop(SESSION_KEY, None)
