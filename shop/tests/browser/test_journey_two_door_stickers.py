"""Journey 5: two door stickers at 4.90 € cost 9.80 € from the catalogue to the order page (issue 13)."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from shop.models import Order

from ..helpers import money
from .helpers import add_to_cart, confirm_order, path_of, product_card

pytestmark = pytest.mark.browser


def axe_violations(page) -> list[str]:
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


def test_a_resident_buys_two_door_stickers_and_sees_9_80_from_the_cart_to_the_order_page(
    new_page, resident, door_sticker
):
    page = new_page(user=resident)
    page.goto(reverse("shop:catalogue"))
    assert f"{money('4.90')} €" in product_card(page, door_sticker).locator("[data-price=incl]").inner_text()

    add_to_cart(page, door_sticker, 2)
    line = page.locator("[data-line=STK-PORTE]")
    assert line.locator("[data-amount=unit]").inner_text() == f"{money('4.90')} €"
    assert line.locator("[data-amount=total]").inner_text() == f"{money('9.80')} €"
    assert page.locator("[data-total=incl]").inner_text() == f"{money('9.80')} €"
    assert page.locator("[data-total=excl]").count() == 0  # a resident is quoted prices incl. VAT
    assert axe_violations(page) == []

    confirm_order(page, "Camille Martin", "12 rue des Lilas\n44230 Saint-Sébastien-sur-Loire")

    order = Order.objects.get(buyer=resident)
    assert path_of(page) == reverse("shop:order", args=[order.reference])
    assert order.total_incl_vat == Decimal("9.80")
    line = page.locator("[data-line=STK-PORTE]")
    assert line.locator("[data-amount=unit]").inner_text() == f"{money('4.90')} €"
    assert line.locator("[data-amount=total]").inner_text() == f"{money('9.80')} €"
    assert page.locator("[data-total=incl]").inner_text() == f"{money('9.80')} €"
    assert money("9.80") in page.locator("section[aria-labelledby=pay-title]").inner_text()
    assert money("9.79") not in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_an_empty_checkout_points_at_the_missing_fields(new_page, resident, door_sticker):
    page = new_page(user=resident)
    add_to_cart(page, door_sticker, 1)

    confirm_order(page, "", "")

    assert path_of(page) == reverse("shop:checkout")
    for selector in ("input[name=delivery_name]", "textarea[name=delivery_address]"):
        field = page.locator(selector)
        assert field.get_attribute("aria-invalid") == "true"
        error = page.locator(f"#{field.get_attribute('aria-describedby')}")
        assert error.is_visible() and error.inner_text().strip()
    assert axe_violations(page) == []
    assert not Order.objects.exists()
