"""The cart lives in the session as {product id: quantity}; prices are never stored in it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Product

SESSION_KEY = "cart"


def items(session) -> dict[int, int]:
    return {int(k): int(v) for k, v in session.get(SESSION_KEY, {}).items()}


def _save(session, cart: dict[int, int]) -> None:
    session[SESSION_KEY] = {str(k): v for k, v in cart.items() if v > 0}


def set_quantity(session, *, product_id, quantity, add=False) -> None:
    try:
        product_id, quantity = int(product_id), int(str(quantity).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Quantities must be whole numbers.")) from None
    product = Product.objects.filter(id=product_id, is_active=True, for_residents=True).first()
    if product is None:
        raise ValidationError(_("This product is not on sale."))
    cart = items(session)
    new = cart.get(product_id, 0) + quantity if add else quantity
    if new < 0 or (add and quantity < 1):
        raise ValidationError(_("Quantities must be between 1 and %(max)d.") % {"max": product.max_per_order})
    if new > product.max_per_order:
        raise ValidationError(
            _("At most %(max)d × %(name)s per order.") % {"max": product.max_per_order, "name": product.name}
        )
    cart[product_id] = new
    _save(session, cart)


def clear(session) -> None:
    session.pop(SESSION_KEY, None)
