"""A member orders signage: lines are copies, stock is taken, the Mairie Vigilante pays its share."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from shop import services
from shop.models import FundedClaim, Order, OrderEvent, OrderLine, Product, SignageProgramme

from .factories import ProductFactory
from .helpers import ADDRESS, page_language, refused_with, resident_order

pytestmark = pytest.mark.django_db

Status = Order.Status
JOIN = "Join a community of your neighbourhood before ordering."


def nothing_was_saved():
    return Order.objects.count() == 0 and OrderLine.objects.count() == 0 and OrderEvent.objects.count() == 0


def budget_of(programme) -> Decimal:
    programme.refresh_from_db()
    return programme.budget_remaining


def test_order_lines_copy_the_sku_name_unit_price_and_vat_rate(resident, sticker, kit):
    order = resident_order(resident, {sticker: 3, kit: 1}).order

    lines = {line.sku: line for line in order.lines.all()}
    assert set(lines) == {"STK-BAL", "KIT-FOYER"}
    assert (lines["STK-BAL"].name, lines["STK-BAL"].unit_price_excl_vat, lines["STK-BAL"].vat_rate) == (
        "Autocollant boîte aux lettres",
        Decimal("3.25"),
        Decimal("20.00"),
    )
    assert lines["STK-BAL"].quantity == 3
    assert lines["KIT-FOYER"].unit_price_excl_vat == Decimal("9.92")
    assert not any(line.funded for line in lines.values())


def test_editing_the_product_afterwards_does_not_change_the_order(resident, sticker):
    order = resident_order(resident, {sticker: 2}).order

    Product.objects.filter(id=sticker.id).update(
        name="Nouveau nom", sku="STK-NEW", price_excl_vat=Decimal("99.00"), vat_rate=Decimal("5.50")
    )

    line = OrderLine.objects.get(order=order)
    assert (line.sku, line.name, line.unit_price_excl_vat, line.vat_rate) == (
        "STK-BAL",
        "Autocollant boîte aux lettres",
        Decimal("3.25"),
        Decimal("20.00"),
    )
    order.refresh_from_db()
    assert order.total_incl_vat == Decimal("7.80")


def test_totals_are_computed_on_the_server_in_decimal(resident, sticker, kit):
    order = resident_order(resident, {sticker: 3, kit: 2}).order

    order.refresh_from_db()
    # A resident pays the prices incl. VAT: 3 × 3.90 + 2 × 11.90, the VAT being part of each line.
    assert order.total_incl_vat == Decimal("35.50")  # 11.70 + 23.80
    assert order.total_vat == Decimal("5.92")  # 1.95 + 3.97 (23.80 / 6 = 3.9667)
    assert order.total_excl_vat == Decimal("29.58")  # 9.75 + 19.83
    assert order.funded_amount == Decimal("0.00")
    assert order.payment == Order.Payment.BANK_TRANSFER


def test_two_door_stickers_at_4_90_are_ordered_at_9_80_not_9_79(resident, door_sticker):
    order = resident_order(resident, {door_sticker: 2}).order

    order.refresh_from_db()
    assert order.prices_incl_vat is True  # a resident is quoted prices incl. VAT
    assert (order.total_incl_vat, order.total_vat, order.total_excl_vat) == (
        Decimal("9.80"),
        Decimal("1.63"),
        Decimal("8.17"),
    )
    assert order.lines.get().unit_price_excl_vat == Decimal("4.08")  # the catalogue's price, copied


def test_a_placed_order_is_confirmed_by_its_buyer_and_takes_the_stock(resident, sticker, kit):
    order = resident_order(resident, {sticker: 3, kit: 1}).order

    assert order.status == Status.CONFIRMED
    assert order.buyer == resident
    assert order.buyer_kind == Order.Buyer.RESIDENT
    assert order.commune == resident.memberships.get().community.neighbourhood.commune
    assert (order.delivery_name, order.delivery_address) == (
        ADDRESS["delivery_name"],
        ADDRESS["delivery_address"],
    )
    event = order.events.get()
    assert (event.from_status, event.to_status, event.actor) == (Status.PENDING, Status.CONFIRMED, resident)
    sticker.refresh_from_db()
    kit.refresh_from_db()
    assert (sticker.stock, kit.stock) == (97, 99)


def test_each_order_gets_its_own_reference(resident, sticker):
    first = resident_order(resident, {sticker: 1}).order
    second = resident_order(resident, {sticker: 1}).order

    assert first.reference != second.reference
    assert first.reference.startswith("VIG-")


def test_not_enough_stock_is_refused_and_nothing_is_saved(resident, sticker):
    Product.objects.filter(id=sticker.id).update(stock=2)

    with refused_with("Not enough %(name)s in stock (%(left)d left).", name=sticker.name, left=2):
        resident_order(resident, {sticker: 3})

    assert nothing_was_saved()
    sticker.refresh_from_db()
    assert sticker.stock == 2


def test_a_funded_kit_costs_nothing_and_comes_out_of_the_budget(resident, kit, mairie_vigilante):
    placed = resident_order(resident, {kit: 1})

    order = placed.order
    assert placed.notes == []
    line = order.lines.get()
    assert (line.funded, line.unit_price_excl_vat, line.quantity) == (True, Decimal("0.00"), 1)
    assert (order.total_incl_vat, order.funded_amount) == (Decimal("0.00"), Decimal("11.90"))
    assert order.payment == Order.Payment.FUNDED
    assert budget_of(mairie_vigilante) == Decimal("488.10")
    assert FundedClaim.objects.filter(user=resident, product=kit, order=order).exists()
    kit.refresh_from_db()
    assert kit.stock == 99


def test_only_one_funded_kit_per_order_the_others_are_charged(resident, kit, mairie_vigilante):
    order = resident_order(resident, {kit: 3}).order

    lines = sorted(order.lines.all(), key=lambda line: line.funded)
    assert [(line.funded, line.quantity, line.unit_price_excl_vat) for line in lines] == [
        (False, 2, Decimal("9.92")),
        (True, 1, Decimal("0.00")),
    ]
    assert order.total_incl_vat == Decimal("23.80")  # 2 × 11.90
    assert order.payment == Order.Payment.BANK_TRANSFER
    assert budget_of(mairie_vigilante) == Decimal("488.10")


def test_a_second_funded_kit_for_the_same_member_is_charged_with_a_message(resident, kit, mairie_vigilante):
    resident_order(resident, {kit: 1})

    placed = resident_order(resident, {kit: 1})

    line = placed.order.lines.get()
    assert (line.funded, line.unit_price_excl_vat) == (False, Decimal("9.92"))
    assert placed.order.total_incl_vat == Decimal("11.90")
    assert placed.order.payment == Order.Payment.BANK_TRANSFER
    assert placed.notes == [
        page_language(
            "You have already received your %(name)s offered by the town hall: it is charged.", name=kit.name
        )
    ]
    assert budget_of(mairie_vigilante) == Decimal("488.10")


def test_a_budget_too_small_for_the_kit_charges_it_with_a_message(resident, kit, mairie_vigilante):
    SignageProgramme.objects.filter(id=mairie_vigilante.id).update(budget_remaining=Decimal("11.89"))

    placed = resident_order(resident, {kit: 1})

    assert placed.order.lines.get().funded is False
    assert placed.order.total_incl_vat == Decimal("11.90")
    assert placed.notes == [
        page_language("The town hall's signage budget is used up: %(name)s is charged.", name=kit.name)
    ]
    assert budget_of(mairie_vigilante) == Decimal("11.89")
    assert not FundedClaim.objects.exists()


def test_a_budget_of_exactly_one_kit_funds_it_and_falls_to_zero(resident, kit, mairie_vigilante):
    SignageProgramme.objects.filter(id=mairie_vigilante.id).update(budget_remaining=Decimal("11.90"))

    placed = resident_order(resident, {kit: 1})

    assert placed.order.lines.get().funded is True
    assert budget_of(mairie_vigilante) == Decimal("0.00")


def test_products_the_town_hall_does_not_fund_are_charged_silently(resident, sticker, kit, mairie_vigilante):
    placed = resident_order(resident, {sticker: 1})

    assert placed.notes == []
    assert placed.order.lines.get().funded is False
    assert budget_of(mairie_vigilante) == Decimal("500.00")


def test_a_programme_no_longer_mairie_vigilante_funds_nothing(resident, kit, mairie_vigilante):
    SignageProgramme.objects.filter(id=mairie_vigilante.id).update(is_mairie_vigilante=False)

    placed = resident_order(resident, {kit: 1})

    assert placed.order.lines.get().funded is False
    assert budget_of(mairie_vigilante) == Decimal("500.00")


def test_members_of_another_commune_are_not_funded_by_it(outsider, kit, mairie_vigilante):
    placed = resident_order(outsider, {kit: 1})

    assert placed.order.lines.get().funded is False
    assert placed.notes == []
    assert budget_of(mairie_vigilante) == Decimal("500.00")


def test_a_member_not_yet_approved_cannot_order(pending_resident, sticker):
    with refused_with(JOIN):
        resident_order(pending_resident, {sticker: 1})

    assert nothing_was_saved()


def test_someone_with_no_community_cannot_order(sticker):
    from accounts.tests.factories import UserFactory

    with refused_with(JOIN):
        resident_order(UserFactory(), {sticker: 1})

    assert nothing_was_saved()


def test_a_visitor_cannot_order(sticker):
    with pytest.raises(ValidationError):
        resident_order(AnonymousUser(), {sticker: 1})

    assert nothing_was_saved()


def test_a_withdrawn_product_is_refused(resident, sticker, kit):
    Product.objects.filter(id=kit.id).update(is_active=False)

    with refused_with("%(name)s is not on sale.", name=kit.name):
        resident_order(resident, {sticker: 1, kit: 1})

    assert nothing_was_saved()


def test_a_street_sign_for_town_halls_only_is_refused_to_a_member(resident, street_sign):
    with refused_with("%(name)s is not on sale.", name=street_sign.name):
        resident_order(resident, {street_sign: 1})

    assert nothing_was_saved()


def test_an_unknown_product_id_is_refused(resident, sticker):
    with refused_with("One of the products does not exist."):
        services.order_place(buyer=resident, items={sticker.id: 1, 987654: 1}, **ADDRESS)

    assert nothing_was_saved()


def test_an_empty_cart_is_refused(resident):
    with refused_with("Your cart is empty."):
        services.order_place(buyer=resident, items={}, **ADDRESS)

    assert nothing_was_saved()


@pytest.mark.parametrize("quantity", [0, -1, 10_000, "abc", "", None, "2.5", 1.5])
def test_a_bad_quantity_is_refused_with_a_clear_error_and_nothing_saved(resident, sticker, quantity):
    with pytest.raises(ValidationError) as error:
        services.order_place(buyer=resident, items={sticker.id: quantity}, **ADDRESS)

    assert error.value.messages and all(message.strip() for message in error.value.messages)
    assert nothing_was_saved()
    sticker.refresh_from_db()
    assert sticker.stock == 100


def test_more_than_the_maximum_per_order_is_refused(resident):
    product = ProductFactory(max_per_order=5)

    with refused_with("At most %(max)d × %(name)s per order.", max=5, name=product.name):
        resident_order(resident, {product: 6})

    assert nothing_was_saved()


@pytest.mark.parametrize(
    "address",
    [
        {"delivery_name": "", "delivery_address": "12 rue des Lilas"},
        {"delivery_name": "Camille", "delivery_address": "   "},
        {"delivery_name": "Camille", "delivery_address": "x" * 501},
    ],
)
def test_a_missing_or_overlong_address_is_refused(resident, sticker, address):
    with pytest.raises(ValidationError):
        services.order_place(buyer=resident, items={sticker.id: 1}, **address)

    assert nothing_was_saved()


def test_a_refused_order_leaves_the_budget_and_claims_untouched(resident, kit, sticker, mairie_vigilante):
    Product.objects.filter(id=sticker.id).update(stock=0)

    with pytest.raises(ValidationError):
        resident_order(resident, {kit: 1, sticker: 1})

    assert budget_of(mairie_vigilante) == Decimal("500.00")
    assert not FundedClaim.objects.exists()
    assert nothing_was_saved()
