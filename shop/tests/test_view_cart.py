"""The session cart: adding and changing quantities, with clear messages for bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop import cart
from shop.models import Product

from .factories import ProductFactory
from .helpers import messages_of, money, page_language

pytestmark = pytest.mark.django_db

ADD = reverse("shop:cart_add")
CART = reverse("shop:cart")
CATALOGUE = reverse("shop:catalogue")
# (msgid, params) of the messages, as page_language takes them
BETWEEN = ("Quantities must be between 1 and %(max)d.", {"max": 50})
AT_MOST = ("At most %(max)d × %(name)s per order.", {"max": 50, "name": "Autocollant boîte aux lettres"})
WHOLE = ("Quantities must be whole numbers.", {})


def fill(client, product, quantity):
    """Adds to the cart and shows the cart page, as a browser would (its message is read)."""
    client.post(ADD, {"product": product.id, "quantity": str(quantity)}, follow=True)


def cart_of(client) -> dict[int, int]:
    return cart.items(client.session)


@pytest.fixture
def member(client, resident):
    client.force_login(resident)
    return resident


def test_adding_a_product_puts_it_in_the_cart(client, member, sticker):
    response = client.post(ADD, {"product": sticker.id, "quantity": "3"})

    assert response.status_code == 302 and response["Location"] == CART
    assert cart_of(client) == {sticker.id: 3}
    assert messages_of(response) == [page_language("Added to your cart.")]


def test_adding_again_adds_up(client, member, sticker):
    client.post(ADD, {"product": sticker.id, "quantity": "2"})
    client.post(ADD, {"product": sticker.id, "quantity": " 3 "})

    assert cart_of(client) == {sticker.id: 5}


def test_the_cart_page_prices_the_lines_from_the_database(client, member, sticker, kit):
    client.post(ADD, {"product": sticker.id, "quantity": "3"})
    client.post(ADD, {"product": kit.id, "quantity": "1"})

    response = client.get(CART)

    assert response.status_code == 200
    assert response.context["totals"].fields() == {
        "total_excl_vat": Decimal("19.67"),
        "total_vat": Decimal("3.93"),
        "total_incl_vat": Decimal("23.60"),
    }
    page = response.content.decode()
    assert f'data-total="incl"><strong>{money("23.60")} €' in page


def test_two_door_stickers_at_4_90_cost_9_80_in_the_cart(client, member, door_sticker):
    client.post(ADD, {"product": door_sticker.id, "quantity": "2"})

    response = client.get(CART)

    assert response.context["totals"].total_incl_vat == Decimal("9.80")
    page = response.content.decode()
    assert f'data-amount="unit">{money("4.90")} €' in page
    assert f'data-amount="total">{money("9.80")} €' in page
    assert f'data-total="incl"><strong>{money("9.80")} €' in page
    assert f'data-total="vat-20">{money("1.63")} €' in page  # the VAT included in 9.80


def test_a_resident_sees_unit_prices_incl_vat_never_excl_vat(client, member, door_sticker):
    client.post(ADD, {"product": door_sticker.id, "quantity": "2"})

    page = client.get(CART, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Unit price incl. VAT" in page
    assert "excl. VAT" not in page and "4.08" not in page and "4.90 €" in page


def test_a_tampered_price_in_the_form_is_ignored(client, member, sticker):
    client.post(ADD, {"product": sticker.id, "quantity": "2", "price": "0.01", "unit_price_excl_vat": "0"})

    response = client.get(CART)

    assert response.context["totals"].total_incl_vat == Decimal("7.80")
    assert client.session["cart"] == {str(sticker.id): 2}  # nothing but ids and quantities


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", BETWEEN),
        ("-1", BETWEEN),
        ("10000", AT_MOST),
        ("abc", WHOLE),
        ("", WHOLE),
        ("2.5", WHOLE),
        ("1e3", WHOLE),
        ("99999999999999999999999999", AT_MOST),
    ],
)
def test_a_bad_quantity_when_adding_shows_a_clear_message_and_changes_nothing(
    client, member, sticker, quantity, message
):
    fill(client, sticker, 1)

    response = client.post(ADD, {"product": sticker.id, "quantity": quantity})

    assert response.status_code == 302 and response["Location"] == CATALOGUE
    assert messages_of(response) == [page_language(*message)]
    assert cart_of(client) == {sticker.id: 1}


def test_adding_past_the_maximum_per_order_is_refused(client, member, sticker):
    fill(client, sticker, 30)

    response = client.post(ADD, {"product": sticker.id, "quantity": "21"})

    assert messages_of(response) == [page_language(*AT_MOST)]
    assert cart_of(client) == {sticker.id: 30}


@pytest.mark.parametrize("product_id", ["987654", "abc", "", "-3", "99999999999999999999"])
def test_a_tampered_product_id_is_refused_with_a_message(client, member, sticker, product_id):
    response = client.post(ADD, {"product": product_id, "quantity": "1"})

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert cart_of(client) == {}


def test_a_withdrawn_product_cannot_be_added(client, member):
    withdrawn = ProductFactory(is_active=False)

    response = client.post(ADD, {"product": withdrawn.id, "quantity": "1"})

    assert messages_of(response) == [page_language("This product is not on sale.")]
    assert cart_of(client) == {}


def test_a_street_sign_for_town_halls_cannot_be_added_by_a_member(client, member, street_sign):
    response = client.post(ADD, {"product": street_sign.id, "quantity": "1"})

    assert messages_of(response) == [page_language("This product is not on sale.")]
    assert cart_of(client) == {}


def test_a_visitor_adding_to_the_cart_is_sent_to_log_in(client, sticker):
    response = client.post(ADD, {"product": sticker.id, "quantity": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_not_yet_approved_cannot_fill_a_cart(client, pending_resident, sticker):
    client.force_login(pending_resident)

    response = client.post(ADD, {"product": sticker.id, "quantity": "1"})

    assert response["Location"] == CATALOGUE
    assert messages_of(response) == [page_language("Join a community of your neighbourhood before ordering.")]
    assert cart_of(client) == {}


def test_adding_is_post_only(client, member, sticker):
    assert client.get(ADD, {"product": sticker.id, "quantity": "1"}).status_code == 405


def test_changing_a_quantity_in_the_cart(client, member, sticker):
    client.post(ADD, {"product": sticker.id, "quantity": "1"})

    response = client.post(CART, {"product": sticker.id, "quantity": "4"})

    assert response["Location"] == CART
    assert cart_of(client) == {sticker.id: 4}


def test_a_quantity_of_zero_removes_the_product(client, member, sticker, kit):
    client.post(ADD, {"product": sticker.id, "quantity": "1"})
    client.post(ADD, {"product": kit.id, "quantity": "1"})

    client.post(CART, {"product": sticker.id, "quantity": "0"})

    assert cart_of(client) == {kit.id: 1}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", BETWEEN),
        ("10000", AT_MOST),
        ("abc", WHOLE),
        ("", WHOLE),
    ],
)
def test_a_bad_quantity_in_the_cart_shows_a_clear_message_and_changes_nothing(
    client, member, sticker, quantity, message
):
    fill(client, sticker, 2)

    response = client.post(CART, {"product": sticker.id, "quantity": quantity})

    assert response["Location"] == CART
    assert messages_of(response) == [page_language(*message)]
    assert cart_of(client) == {sticker.id: 2}


def test_the_message_is_shown_on_the_cart_page(client, member, sticker):
    client.post(ADD, {"product": sticker.id, "quantity": "2"})

    response = client.post(CART, {"product": sticker.id, "quantity": "abc"}, follow=True)

    assert page_language("Quantities must be whole numbers.") in response.content.decode()


def test_the_cart_shows_the_kit_offered_by_the_town_hall(client, member, kit, mairie_vigilante):
    client.post(ADD, {"product": kit.id, "quantity": "2"})

    response = client.get(CART)

    offered = [line for line in response.context["lines"] if line.offered]
    assert len(offered) == 1 and offered[0].amounts.total_incl_vat == Decimal("0.00")
    assert response.context["totals"].total_incl_vat == Decimal("11.90")


def test_a_product_withdrawn_while_in_the_cart_does_not_block_the_order_for_ever(
    client, member, sticker, kit
):
    client.post(ADD, {"product": sticker.id, "quantity": "1"})
    client.post(ADD, {"product": kit.id, "quantity": "1"})
    Product.objects.filter(id=kit.id).update(is_active=False)

    response = client.get(CART)
    client.post(
        reverse("shop:checkout"), {"delivery_name": "Camille", "delivery_address": "12 rue des Lilas"}
    )

    assert [line.product for line in response.context["lines"]] == [sticker]
    assert member.orders.count() == 1
    assert list(member.orders.get().lines.values_list("sku", flat=True)) == ["STK-BAL"]


def test_the_member_is_told_which_product_was_removed_from_the_cart(client, member, sticker, kit):
    fill(client, kit, 1)
    Product.objects.filter(id=kit.id).update(is_active=False)

    response = client.get(CART)

    message = page_language("%(name)s is no longer on sale and was removed from your cart.", name=kit.name)
    assert [str(m) for m in response.context["messages"]] == [message]
    assert cart_of(client) == {}


def test_changing_the_charged_quantity_of_an_offered_kit_keeps_the_offered_one(
    client, member, kit, mairie_vigilante
):
    fill(client, kit, 3)  # one offered, two charged
    charged_row = f'id="cart-qty-{kit.id}" name="quantity" value="2"'
    assert charged_row in client.get(CART).content.decode()

    client.post(CART, {"product": kit.id, "quantity": "2", "charged": "1"})
    assert cart_of(client) == {kit.id: 3}

    client.post(CART, {"product": kit.id, "quantity": "0", "charged": "1"})
    assert cart_of(client) == {kit.id: 1}  # the offered kit stays

    response = client.post(CART, {"product": kit.id, "quantity": "-1", "charged": "1"})
    assert messages_of(response) == [page_language(*BETWEEN)]
    assert cart_of(client) == {kit.id: 1}


def test_the_offered_kit_can_be_removed_from_the_cart(client, member, kit, mairie_vigilante):
    fill(client, kit, 1)
    page = client.get(CART).content.decode()
    assert f'<input type="hidden" name="product" value="{kit.id}">' in page

    client.post(CART, {"product": kit.id, "quantity": "0"})

    assert cart_of(client) == {}
