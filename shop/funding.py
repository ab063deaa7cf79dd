"""The one rule of Mairie Vigilante funding, read by the catalogue and the cart (what is shown
as offered) and by `order_place` (what is charged to the town hall's budget)."""

from django.utils.translation import gettext as _

from .pricing import with_vat


def funding_refusal(programme, product, *, already_received: bool, funded=None) -> str | None:
    """None when the town hall offers this product to this resident now; otherwise why not.

    A Mairie Vigilante offers the products it chose, one of each per resident, while its
    remaining budget covers the price including VAT.
    """
    if programme is None or not programme.is_mairie_vigilante:
        return _("Your town hall does not fund signage.")
    # `funded`: the programme's funded products, when the caller has just read them.
    is_funded = (
        product in funded if funded is not None else programme.funded_products.filter(id=product.id).exists()
    )
    if not product.is_active or not is_funded:
        return _("Your town hall does not offer %(name)s.") % {"name": product.name}
    if already_received:
        return _("You have already received your %(name)s offered by the town hall: it is charged.") % {
            "name": product.name
        }
    if programme.budget_remaining < with_vat(product.price_excl_vat, product.vat_rate):
        return _("The town hall's signage budget is used up: %(name)s is charged.") % {"name": product.name}
    return None
