"""Money arithmetic: Decimal, cents rounded half-up, VAT at 20 %."""

from decimal import Decimal

from shop.pricing import cents, totals, vat_of, with_vat
from shop.selectors import CartLine


class Line:
    def __init__(self, price, quantity, rate="20.00"):
        self.unit_price_excl_vat, self.quantity, self.vat_rate = Decimal(price), quantity, Decimal(rate)


def test_amounts_are_rounded_to_the_cent_half_up_not_to_even():
    assert cents(Decimal("0.125")) == Decimal("0.13")
    assert cents(Decimal("0.135")) == Decimal("0.14")
    assert cents(Decimal("2.345")) == Decimal("2.35")
    assert cents(Decimal("2.344")) == Decimal("2.34")


def test_vat_at_twenty_percent_of_the_catalogue_prices():
    assert vat_of(Decimal("3.25"), Decimal("20")) == Decimal("0.65")
    assert vat_of(Decimal("9.92"), Decimal("20")) == Decimal("1.98")  # 1.984
    assert vat_of(Decimal("4.08"), Decimal("20")) == Decimal("0.82")  # 0.816
    assert vat_of(Decimal("0.025"), Decimal("20")) == Decimal("0.01")  # 0.005 rounds up


def test_price_including_vat_is_the_rounded_price_plus_the_rounded_vat():
    assert with_vat(Decimal("9.92"), Decimal("20.00")) == Decimal("11.90")
    assert with_vat(Decimal("41.58"), Decimal("20.00")) == Decimal("49.90")
    assert with_vat(Decimal("124.92"), Decimal("20.00")) == Decimal("149.90")


def test_results_are_decimals_with_two_places_never_floats():
    for value in (
        cents(Decimal("1")),
        vat_of(Decimal("3.25"), Decimal("20")),
        with_vat(Decimal("3.25"), Decimal("20")),
    ):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2


def test_totals_round_each_line_and_add_them_up():
    result = totals([Line("3.25", 3), Line("9.92", 1), Line("0.00", 1)])

    assert result == {
        "total_excl_vat": Decimal("19.67"),
        "total_vat": Decimal("3.93"),  # 1.95 + 1.98 + 0.00
        "total_incl_vat": Decimal("23.60"),
    }
    assert all(isinstance(v, Decimal) for v in result.values())


def test_totals_of_nothing_are_zero_euros():
    assert totals([]) == {
        "total_excl_vat": Decimal("0.00"),
        "total_vat": Decimal("0.00"),
        "total_incl_vat": Decimal("0.00"),
    }


def test_totals_honour_each_lines_own_vat_rate():
    result = totals([Line("10.00", 1, "20.00"), Line("10.00", 1, "5.50")])

    assert result["total_vat"] == Decimal("2.55")
    assert result["total_incl_vat"] == Decimal("22.55")


def test_a_float_never_sneaks_in_through_a_cart_line(kit):
    line = CartLine(kit, 3, kit.price_excl_vat, kit.vat_rate, offered=False)

    assert line.total_excl_vat == Decimal("29.76")
    assert line.vat == Decimal("5.95")  # 5.952
    assert line.total_incl_vat == Decimal("35.71")
