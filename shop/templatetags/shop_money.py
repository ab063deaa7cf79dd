"""VAT rates as people write them: 20 %, 5,5 % (not 20.00 %, nor 6 % for 5.5)."""

from django import template
from django.utils import formats

from shop.pricing import rate_display

register = template.Library()


@register.filter
def vat_rate(rate):
    """The rate as a number without trailing zeros (localised when printed)."""
    return rate_display(rate)


@register.filter
def vat_percent(rate) -> str:
    """The rate with its per cent sign, a no-break space before it, localised: "5,5 %" in French."""
    return f"{formats.localize(rate_display(rate))}\u00a0%"
