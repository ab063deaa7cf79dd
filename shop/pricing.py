"""Money arithmetic: Decimal only, rounded to the cent half-up, as French invoices are."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount_excl: Decimal, rate: Decimal) -> Decimal:
    return cents(amount_excl * rate / Decimal(100))


def with_vat(amount_excl: Decimal, rate: Decimal) -> Decimal:
    return cents(amount_excl) + vat_of(amount_excl, rate)


def totals(lines) -> dict:
    """Totals of lines having unit_price_excl_vat, vat_rate and quantity."""
    excl = sum((cents(line.unit_price_excl_vat * line.quantity) for line in lines), Decimal("0.00"))
    vat = sum(
        (vat_of(line.unit_price_excl_vat * line.quantity, line.vat_rate) for line in lines), Decimal("0.00")
    )
    return {"total_excl_vat": excl, "total_vat": vat, "total_incl_vat": excl + vat}
