"""Journey 1: a member orders stickers and is told how to pay; a visitor only looks."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.models import Order

from ..helpers import money
from .helpers import add_to_cart, confirm_order, path_of, product_card, set_cart_quantity

pytestmark = pytest.mark.browser


def test_a_member_orders_stickers_and_sees_the_bank_transfer_instructions(
    new_page, resident, sticker, kit, street_sign
):
    page = new_page(user=resident)
    page.goto(reverse("shop:catalogue"))
    sticker_card = product_card(page, sticker)
    assert f"{money('3.90')} €" in sticker_card.locator("[data-price=incl]").inner_text()
    assert f"{money('3.25')} €" not in sticker_card.inner_text()  # residents are quoted prices incl. VAT
    assert product_card(page, street_sign).locator("form").count() == 0  # town halls only
    assert page.locator("img.product-image").first.evaluate("img => img.naturalWidth") > 0

    add_to_cart(page, sticker, 2)
    assert path_of(page) == reverse("shop:cart")
    add_to_cart(page, kit, 1)
    set_cart_quantity(page, sticker, 3)
    assert page.locator(f"#cart-qty-{sticker.id}").input_value() == "3"
    assert money("23.60") in page.locator("[data-total=incl]").inner_text()  # 3 × 3.90 + 11.90

    confirm_order(page, "Camille Martin", "12 rue des Lilas\n44230 Saint-Sébastien-sur-Loire")

    order = Order.objects.get(buyer=resident)
    assert path_of(page) == reverse("shop:order", args=[order.reference])
    assert (order.status, order.total_incl_vat) == (Order.Status.CONFIRMED, Decimal("23.60"))
    instructions = page.locator("section[aria-labelledby=pay-title]")
    assert order.reference in instructions.inner_text()
    assert money("23.60") in instructions.inner_text()
    assert "FR76" in instructions.inner_text()
    sticker.refresh_from_db()
    assert sticker.stock == 97

    page.goto(reverse("shop:cart"))
    assert page.locator("[data-total]").count() == 0  # the cart was emptied


def test_a_visitor_sees_the_catalogue_without_order_buttons(page_for_visitor, sticker, kit):
    page = page_for_visitor
    page.goto(reverse("shop:catalogue"))

    assert product_card(page, sticker).is_visible() and product_card(page, kit).is_visible()
    assert product_card(page, kit).locator("[data-price=incl]").count() == 1
    assert page.locator(f"form[action='{reverse('shop:cart_add')}']").count() == 0
    assert page.locator("main .notice").count() == 1


def test_a_member_not_yet_approved_sees_no_order_buttons(new_page, pending_resident, sticker):
    page = new_page(user=pending_resident)
    page.goto(reverse("shop:catalogue"))

    assert product_card(page, sticker).is_visible()
    assert page.locator(f"form[action='{reverse('shop:cart_add')}']").count() == 0


@pytest.fixture
def page_for_visitor(new_page):
    return new_page()
