"""Money arithmetic: Decimal only, rounded to the cent half-up, once per line, here and nowhere else.

Residents are consumers: they are quoted prices including VAT (the catalogue's 4.90 €), so a
line costs that unit price times the quantity (2 × 4.90 € = 9.80 €), and its VAT is the part of
that total the rate stands for. Town halls are quoted prices excluding VAT, as French invoices
between professionals state them: a line is the unit price excl. VAT times the quantity, plus
the VAT on that. Either way each line is rounded to the cent by `line_amounts`; totals only
add lines up, so the cart, the order page, the emails and the invoice show the same sums.
Which rule an order follows is stored on it (Order.prices_incl_vat), so it never changes later.

(Rounding the VAT of the line excl. VAT, as this module did for everyone, made two stickers
at 4.90 € cost 9.79 €: 2 × 4.08 = 8.16, plus 1.632 of VAT rounded to 1.63.)
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount_excl: Decimal, rate: Decimal) -> Decimal:
    return cents(amount_excl * rate / HUNDRED)


def with_vat(amount_excl: Decimal, rate: Decimal) -> Decimal:
    """A unit price incl. VAT, as the catalogue shows it, from the price excl. VAT."""
    return cents(amount_excl) + vat_of(amount_excl, rate)


def quoted_incl_vat(buyer_kind: str) -> bool:
    """Whether a buyer is quoted prices incl. VAT: residents are; town halls are quoted excl. VAT."""
    return buyer_kind != "town_hall"


def rate_display(rate: Decimal) -> Decimal:
    """A VAT rate without trailing zeros (20, 5.5), for printing."""
    return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()


@dataclass(frozen=True)
class LineAmounts:
    quantity: int
    vat_rate: Decimal
    unit_excl_vat: Decimal
    unit_incl_vat: Decimal
    total_excl_vat: Decimal
    vat: Decimal
    total_incl_vat: Decimal
    incl_vat: bool  # quoted incl. VAT (a resident) or excl. VAT (a town hall)

    @property
    def unit_price(self) -> Decimal:
        """The unit price as quoted to the buyer."""
        return self.unit_incl_vat if self.incl_vat else self.unit_excl_vat

    @property
    def total(self) -> Decimal:
        """The line's total as quoted to the buyer."""
        return self.total_incl_vat if self.incl_vat else self.total_excl_vat


def line_amounts(
    *, unit_price_excl_vat: Decimal, vat_rate: Decimal, quantity: int, incl_vat: bool
) -> LineAmounts:
    """One line's amounts, each rounded to the cent: what every total adds up."""
    unit_excl = cents(unit_price_excl_vat)
    unit_incl = with_vat(unit_excl, vat_rate)
    if incl_vat:
        total_incl = unit_incl * quantity
        vat = cents(total_incl * vat_rate / (HUNDRED + vat_rate))
        total_excl = total_incl - vat
    else:
        total_excl = unit_excl * quantity
        vat = vat_of(total_excl, vat_rate)
        total_incl = total_excl + vat
    return LineAmounts(quantity, vat_rate, unit_excl, unit_incl, total_excl, vat, total_incl, incl_vat)


def lines_amounts(lines: Iterable, *, incl_vat: bool) -> list[LineAmounts]:
    """The amounts of lines having unit_price_excl_vat, vat_rate and quantity."""
    return [
        line_amounts(
            unit_price_excl_vat=line.unit_price_excl_vat,
            vat_rate=line.vat_rate,
            quantity=line.quantity,
            incl_vat=incl_vat,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class VatAtRate:
    rate: Decimal
    base_excl_vat: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    vat_by_rate: tuple[VatAtRate, ...]

    def fields(self) -> dict[str, Decimal]:
        """The totals an Order stores."""
        return {
            "total_excl_vat": self.total_excl_vat,
            "total_vat": self.total_vat,
            "total_incl_vat": self.total_incl_vat,
        }


def totals(amounts: Iterable[LineAmounts]) -> Totals:
    """The sums of lines already rounded, with the VAT per rate (lowest rate first)."""
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in amounts:
        base, vat = by_rate.get(line.vat_rate, (ZERO, ZERO))
        by_rate[line.vat_rate] = (base + line.total_excl_vat, vat + line.vat)
    rates = tuple(VatAtRate(rate, base, vat) for rate, (base, vat) in sorted(by_rate.items()))
    excl = sum((r.base_excl_vat for r in rates), ZERO)
    vat = sum((r.vat for r in rates), ZERO)
    return Totals(excl, vat, excl + vat, rates)
