"""Money arithmetic: Decimal, cents rounded half-up once per line; residents pay prices incl. VAT."""

from decimal import Decimal

import pytest

from shop.pricing import (
    cents,
    line_amounts,
    lines_amounts,
    quoted_incl_vat,
    rate_display,
    totals,
    vat_of,
    with_vat,
)


class Line:
    def __init__(self, price, quantity, rate="20.00"):
        self.unit_price_excl_vat, self.quantity, self.vat_rate = Decimal(price), quantity, Decimal(rate)


def resident_line(price, quantity, rate="20.00"):
    return line_amounts(
        unit_price_excl_vat=Decimal(price), vat_rate=Decimal(rate), quantity=quantity, incl_vat=True
    )


def town_hall_line(price, quantity, rate="20.00"):
    return line_amounts(
        unit_price_excl_vat=Decimal(price), vat_rate=Decimal(rate), quantity=quantity, incl_vat=False
    )


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
    assert with_vat(Decimal("4.08"), Decimal("20.00")) == Decimal("4.90")
    assert with_vat(Decimal("9.92"), Decimal("20.00")) == Decimal("11.90")
    assert with_vat(Decimal("41.58"), Decimal("20.00")) == Decimal("49.90")
    assert with_vat(Decimal("124.92"), Decimal("20.00")) == Decimal("149.90")


def test_two_stickers_at_4_90_cost_a_resident_9_80_not_9_79():
    line = resident_line("4.08", 2)

    assert line.unit_price == line.unit_incl_vat == Decimal("4.90")
    assert line.total == line.total_incl_vat == Decimal("9.80")
    assert line.vat == Decimal("1.63")  # 9.80 × 20 / 120 = 1.6333
    assert line.total_excl_vat == Decimal("8.17")
    assert totals([line]).total_incl_vat == Decimal("9.80")


def test_a_town_hall_line_is_the_unit_price_excl_vat_times_the_quantity_plus_its_vat():
    line = town_hall_line("4.08", 2)

    assert line.unit_price == line.unit_excl_vat == Decimal("4.08")
    assert line.total == line.total_excl_vat == Decimal("8.16")
    assert line.vat == Decimal("1.63")  # 1.632
    assert line.total_incl_vat == Decimal("9.79")


@pytest.mark.parametrize("incl_vat", [True, False])
def test_every_line_adds_up_exactly(incl_vat):
    for price in ("0.01", "0.99", "3.25", "4.08", "9.92", "41.58", "74.92", "124.92"):
        for quantity in (1, 2, 3, 7, 50):
            for rate in ("20.00", "10.00", "5.50", "2.10"):
                line = line_amounts(
                    unit_price_excl_vat=Decimal(price),
                    vat_rate=Decimal(rate),
                    quantity=quantity,
                    incl_vat=incl_vat,
                )
                assert line.total_excl_vat + line.vat == line.total_incl_vat
                assert line.total == line.unit_price * quantity
                assert abs(line.vat - line.total_excl_vat * Decimal(rate) / 100) <= Decimal("0.01")
                assert all(
                    value.as_tuple().exponent == -2
                    for value in (line.total_excl_vat, line.vat, line.total_incl_vat)
                )


def test_results_are_decimals_with_two_places_never_floats():
    for value in (
        cents(Decimal("1")),
        vat_of(Decimal("3.25"), Decimal("20")),
        with_vat(Decimal("3.25"), Decimal("20")),
        *totals([resident_line("3.25", 3)]).fields().values(),
    ):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2


def test_totals_add_up_lines_already_rounded():
    result = totals(lines_amounts([Line("3.25", 3), Line("9.92", 1), Line("0.00", 1)], incl_vat=True))

    assert result.fields() == {
        "total_excl_vat": Decimal("19.67"),  # 9.75 + 9.92 + 0
        "total_vat": Decimal("3.93"),  # 1.95 + 1.98 + 0.00
        "total_incl_vat": Decimal("23.60"),  # 11.70 + 11.90
    }


def test_totals_of_nothing_are_zero_euros():
    assert totals([]).fields() == {
        "total_excl_vat": Decimal("0.00"),
        "total_vat": Decimal("0.00"),
        "total_incl_vat": Decimal("0.00"),
    }
    assert totals([]).vat_by_rate == ()


def test_totals_give_the_vat_of_each_rate_lowest_first():
    result = totals(
        lines_amounts(
            [Line("10.00", 1, "20.00"), Line("10.00", 3, "5.50"), Line("41.58", 2, "20.00")], incl_vat=False
        )
    )

    assert [(r.rate, r.base_excl_vat, r.vat) for r in result.vat_by_rate] == [
        (Decimal("5.50"), Decimal("30.00"), Decimal("1.65")),
        (Decimal("20.00"), Decimal("93.16"), Decimal("18.63")),  # 2.00 + 16.63 (16.632)
    ]
    assert result.total_excl_vat == Decimal("123.16")
    assert result.total_vat == Decimal("20.28")
    assert result.total_incl_vat == Decimal("143.44")


def test_residents_are_quoted_prices_incl_vat_and_town_halls_excl_vat():
    assert quoted_incl_vat("resident") is True
    assert quoted_incl_vat("town_hall") is False


def test_rates_are_printed_without_trailing_zeros():
    assert str(rate_display(Decimal("20.00"))) == "20"
    assert str(rate_display(Decimal("5.50"))) == "5.5"
    assert str(rate_display(Decimal("2.10"))) == "2.1"
