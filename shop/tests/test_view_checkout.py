"""Confirming the cart: the order is placed from the server's prices; errors come back to the cart."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shop import cart
from shop.models import Order, Product

from .helpers import ADDRESS, messages_of, money, page_language

pytestmark = pytest.mark.django_db

ADD = reverse("shop:cart_add")
CART = reverse("shop:cart")
CHECKOUT = reverse("shop:checkout")


def fill(client, product, quantity):
    client.post(ADD, {"product": product.id, "quantity": str(quantity)}, follow=True)


@pytest.fixture
def member(client, resident):
    client.force_login(resident)
    return resident


def test_confirming_places_the_order_and_shows_the_transfer_instructions(client, member, sticker):
    fill(client, sticker, 2)

    response = client.post(CHECKOUT, ADDRESS, follow=True)

    order = Order.objects.get()
    assert response.redirect_chain == [(reverse("shop:order", args=[order.reference]), 302)]
    assert (order.buyer, order.status, order.total_incl_vat) == (
        member,
        Order.Status.CONFIRMED,
        Decimal("7.80"),
    )
    page = response.content.decode()
    assert 'id="pay-title"' in page
    assert f"<strong>{order.reference}</strong>" in page
    assert f"{money('7.80')} €" in page
    assert "FR76 3000 6000 0112 3456 7890 189" in page
    assert page_language("Thank you, your order %(ref)s is confirmed.", ref=order.reference) in page
    assert cart.items(client.session) == {}


def test_a_tampered_price_or_product_in_the_checkout_form_is_ignored(client, member, sticker, kit):
    fill(client, sticker, 1)

    client.post(
        CHECKOUT, {**ADDRESS, "product": kit.id, "quantity": "9", "total_incl_vat": "0.01", "price": "0"}
    )

    order = Order.objects.get()
    assert list(order.lines.values_list("sku", "quantity", "unit_price_excl_vat")) == [
        ("STK-BAL", 1, Decimal("3.25"))
    ]
    assert order.total_incl_vat == Decimal("3.90")


def test_a_funded_kit_is_ordered_at_zero_and_needs_no_transfer(client, member, kit, mairie_vigilante):
    fill(client, kit, 1)

    response = client.post(CHECKOUT, ADDRESS, follow=True)

    order = Order.objects.get()
    assert order.total_incl_vat == Decimal("0.00") and order.payment == Order.Payment.FUNDED
    assert 'id="pay-title"' not in response.content.decode()
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("488.10")


def test_a_second_funded_kit_is_charged_and_the_member_is_told_why(client, member, kit, mairie_vigilante):
    fill(client, kit, 1)
    client.post(CHECKOUT, ADDRESS, follow=True)
    fill(client, kit, 1)

    response = client.post(CHECKOUT, ADDRESS)

    note = page_language(
        "You have already received your %(name)s offered by the town hall: it is charged.", name=kit.name
    )
    assert note in messages_of(response)
    assert Order.objects.order_by("created_at").last().total_incl_vat == Decimal("11.90")


def test_an_empty_cart_cannot_be_confirmed(client, member):
    response = client.post(CHECKOUT, ADDRESS)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and page_language("Your cart is empty.") in page
    assert not Order.objects.exists()


def test_a_missing_address_keeps_the_cart_and_says_so(client, member, sticker):
    fill(client, sticker, 1)

    response = client.post(CHECKOUT, {"delivery_name": "Camille", "delivery_address": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "delivery_address": [page_language("Give the delivery address.")]
    }
    assert not Order.objects.exists()
    assert cart.items(client.session) == {sticker.id: 1}


def test_not_enough_stock_keeps_the_cart_and_says_so(client, member, sticker):
    fill(client, sticker, 5)
    Product.objects.filter(id=sticker.id).update(stock=4)

    response = client.post(CHECKOUT, ADDRESS)

    assert response.status_code == 200
    message = page_language("Not enough %(name)s in stock (%(left)d left).", name=sticker.name, left=4)
    assert response.context["form"].non_field_errors() == [message]
    page = response.content.decode()
    assert 'id="form-error"' in page
    assert 'aria-invalid="true"' not in page  # the stock is wrong, not the name or the address
    assert not Order.objects.exists()
    assert cart.items(client.session) == {sticker.id: 5}


def test_a_member_not_yet_approved_cannot_confirm(client, pending_resident, sticker):
    client.force_login(pending_resident)
    session = client.session
    session["cart"] = {str(sticker.id): 1}  # a cart kept from before, or forged
    session.save()

    response = client.post(CHECKOUT, ADDRESS)

    page = response.content.decode()
    assert page_language("Join a community of your neighbourhood before ordering.") in page
    assert not Order.objects.exists()


def test_a_pending_member_sees_no_checkout_form(client, pending_resident, sticker):
    client.force_login(pending_resident)

    page = client.get(CART).content.decode()

    assert CHECKOUT not in page


def test_a_visitor_is_sent_to_log_in(client, sticker):
    response = client.post(CHECKOUT, ADDRESS)

    assert response["Location"].startswith(reverse("account_login"))
    assert not Order.objects.exists()


def test_an_empty_checkout_form_shows_each_error_next_to_its_field(client, member, sticker):
    fill(client, sticker, 1)

    response = client.post(CHECKOUT, {"delivery_name": "  ", "delivery_address": ""})

    assert response.status_code == 200
    page = response.content.decode()
    for name, message in (
        ("delivery_name", "Give the name on the letterbox."),
        ("delivery_address", "Give the delivery address."),
    ):
        field = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in field
        assert f'aria-describedby="id_{name}_error"' in field
        error = re.search(rf'<ul class="errorlist" id="id_{name}_error"><li>(.*?)</li></ul>', page)
        assert error.group(1) == page_language(message)
        assert f'href="#id_{name}"' in page  # the summary at the top leads to the field
    assert 'role="alert"' in page
    assert not Order.objects.exists()
    assert cart.items(client.session) == {sticker.id: 1}


def test_the_empty_checkout_errors_say_what_to_give_in_the_visitors_language(client, member, sticker):
    fill(client, sticker, 1)

    page = client.post(CHECKOUT, {}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        '<ul class="errorlist" id="id_delivery_name_error"><li>Give the name on the letterbox.</li>' in page
    )
    assert '<ul class="errorlist" id="id_delivery_address_error"><li>Give the delivery address.</li>' in page
