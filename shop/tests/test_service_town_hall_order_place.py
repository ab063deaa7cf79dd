"""A mayor's office orders street signs for its commune, with its SIRET and purchase order number."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from neighbourhoods.selectors import official_commune_id
from shop import services
from shop.models import Order, OrderEvent, OrderLine, Product
from shop.siret import is_valid_siret

from .factories import ProductFactory
from .helpers import SIRET, TOWN_HALL, refused_with, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


def nothing_was_saved():
    return Order.objects.count() == 0 and OrderLine.objects.count() == 0 and OrderEvent.objects.count() == 0


def test_the_order_waits_for_confirmation_billed_on_invoice_to_the_commune(mayor_office, street_sign):
    order = town_hall_order(mayor_office, {street_sign: 4})

    assert order.status == Status.PENDING
    assert order.payment == Order.Payment.INVOICE
    assert order.buyer_kind == Order.Buyer.TOWN_HALL
    assert order.commune_id == official_commune_id(mayor_office)
    assert (order.siret, order.purchase_order_number) == (SIRET, "ENG-2026-0042")
    assert order.delivery_address == TOWN_HALL["delivery_address"]
    assert order.billing_address == TOWN_HALL["billing_address"]
    assert (order.total_excl_vat, order.total_vat, order.total_incl_vat) == (
        Decimal("166.32"),
        Decimal("33.26"),
        Decimal("199.58"),
    )
    line = order.lines.get()
    assert (line.sku, line.name, line.unit_price_excl_vat, line.vat_rate, line.quantity) == (
        "PAN-S",
        "Panneau de rue 30 × 40 cm",
        Decimal("41.58"),
        Decimal("20.00"),
        4,
    )
    event = order.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", Status.PENDING, mayor_office)


def test_a_town_hall_is_priced_excl_vat_per_line_plus_the_vat(mayor_office, door_sticker):
    order = town_hall_order(mayor_office, {door_sticker: 2})

    order.refresh_from_db()
    assert order.prices_incl_vat is False
    assert (order.total_excl_vat, order.total_vat, order.total_incl_vat) == (
        Decimal("8.16"),  # 2 × 4.08
        Decimal("1.63"),  # 1.632
        Decimal("9.79"),
    )


def test_stock_is_taken_only_when_staff_confirm(mayor_office, street_sign, staff):
    order = town_hall_order(mayor_office, {street_sign: 4})
    street_sign.refresh_from_db()
    assert street_sign.stock == 40

    services.order_transition(order_id=order.id, to_status=Status.CONFIRMED, actor=staff)

    street_sign.refresh_from_db()
    assert street_sign.stock == 36


def test_spaces_in_the_siret_are_ignored(mayor_office, street_sign):
    order = town_hall_order(mayor_office, {street_sign: 1}, siret="214 401 903 00015")

    assert order.siret == SIRET


@pytest.mark.parametrize("siret", ["2144019030001", "214401903000150", "2144019030001A", ""])
def test_a_siret_that_is_not_fourteen_digits_is_refused(mayor_office, street_sign, siret):
    with refused_with("The SIRET must be 14 digits (check the number on your invoices)."):
        town_hall_order(mayor_office, {street_sign: 1}, siret=siret)

    assert nothing_was_saved()


@pytest.mark.parametrize("siret", ["21440190300016", "21440190700016", "00000000000001"])
def test_a_siret_that_fails_its_check_digits_is_refused(mayor_office, street_sign, siret):
    with refused_with(
        "This SIRET does not exist: its check digit is wrong (check the number on your invoices)."
    ):
        town_hall_order(mayor_office, {street_sign: 1}, siret=siret)

    assert nothing_was_saved()


def test_the_check_digits_of_sirets():
    assert is_valid_siret("21440190300015")
    assert not is_valid_siret("21440190700016")  # its SIRET digits add up, its SIREN's do not
    assert is_valid_siret("73282932000074")
    assert not is_valid_siret("73282932000075")
    assert is_valid_siret("35600000000010")  # La Poste: digits add up to a multiple of 5
    assert not is_valid_siret("35600000000011")


@pytest.mark.parametrize("number", ["", "   ", "x" * 41])
def test_the_purchase_order_number_is_required(mayor_office, street_sign, number):
    with refused_with("Give the purchase order number (numéro d'engagement)."):
        town_hall_order(mayor_office, {street_sign: 1}, purchase_order_number=number)

    assert nothing_was_saved()


@pytest.mark.parametrize(
    "fields",
    [
        {"delivery_name": " "},
        {"delivery_address": ""},
        {"billing_address": "  "},
        {"billing_address": "x" * 501},
    ],
)
def test_the_delivery_and_billing_addresses_are_required(mayor_office, street_sign, fields):
    with pytest.raises(ValidationError):
        town_hall_order(mayor_office, {street_sign: 1}, **fields)

    assert nothing_was_saved()


def test_a_member_who_is_not_a_mayors_office_gets_404(resident, street_sign):
    with pytest.raises(NotFound):
        town_hall_order(resident, {street_sign: 1})

    assert nothing_was_saved()


def test_staff_outside_the_mairie_group_get_404(staff, street_sign):
    with pytest.raises(NotFound):
        town_hall_order(staff, {street_sign: 1})


def test_a_product_for_residents_only_is_refused_to_a_town_hall(mayor_office):
    residents_only = ProductFactory(for_town_halls=False)

    with refused_with("%(name)s is not on sale.", name=residents_only.name):
        town_hall_order(mayor_office, {residents_only: 1})

    assert nothing_was_saved()


def test_sticker_kits_for_both_may_be_ordered_by_a_town_hall(mayor_office, kit, street_sign):
    order = town_hall_order(mayor_office, {kit: 20, street_sign: 2})

    assert sorted(order.lines.values_list("sku", "quantity")) == [("KIT-FOYER", 20), ("PAN-S", 2)]


def test_a_town_hall_order_is_never_funded_by_the_programme(mayor_office, kit, mairie_vigilante):
    order = town_hall_order(mayor_office, {kit: 1})

    assert order.funded_amount == Decimal("0.00")
    assert not order.lines.get().funded
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("500.00")


def test_a_withdrawn_sign_is_refused(mayor_office, street_sign):
    Product.objects.filter(id=street_sign.id).update(is_active=False)

    with refused_with("%(name)s is not on sale.", name=street_sign.name):
        town_hall_order(mayor_office, {street_sign: 1})

    assert nothing_was_saved()


def test_an_unknown_product_id_is_refused(mayor_office, street_sign):
    with refused_with("One of the products does not exist."):
        services.town_hall_order_place(buyer=mayor_office, items={street_sign.id: 1, 424242: 1}, **TOWN_HALL)

    assert nothing_was_saved()


@pytest.mark.parametrize("quantity", [-1, 10_000, "abc", "1e3"])
def test_a_bad_quantity_is_refused(mayor_office, street_sign, quantity):
    with pytest.raises(ValidationError):
        services.town_hall_order_place(buyer=mayor_office, items={street_sign.id: quantity}, **TOWN_HALL)

    assert nothing_was_saved()


def test_no_quantity_at_all_is_refused(mayor_office, street_sign):
    with refused_with("Choose at least one product."):
        services.town_hall_order_place(buyer=mayor_office, items={street_sign.id: 0}, **TOWN_HALL)

    assert nothing_was_saved()
