"""Journey 2: the town hall offers a sticker kit; the member orders it at €0, and a second one is charged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.models import Order

from ..helpers import money
from .helpers import add_to_cart, confirm_order, messages, path_of, product_card

pytestmark = pytest.mark.browser


def test_a_member_of_a_mairie_vigilante_orders_the_offered_kit_then_pays_for_a_second(
    new_page, resident, kit, mairie_vigilante
):
    page = new_page(user=resident)
    page.goto(reverse("shop:catalogue"))
    assert product_card(page, kit).locator("[data-price=offered]").count() == 1

    add_to_cart(page, kit, 1)
    assert page.locator("tbody .badge").count() == 1  # "offered by your town hall"
    assert money("0.00") in page.locator("[data-total=incl]").inner_text()
    confirm_order(page, "Camille Martin", "12 rue des Lilas\n44230 Saint-Sébastien-sur-Loire")

    first = Order.objects.get(buyer=resident)
    assert path_of(page) == reverse("shop:order", args=[first.reference])
    assert (first.total_incl_vat, first.payment) == (Decimal("0.00"), Order.Payment.FUNDED)
    assert page.locator("#pay-title").count() == 0
    assert money("11.90") in page.locator("dl.details:not(.totals)").inner_text()  # offered by the town hall
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("488.10")

    page.goto(reverse("shop:catalogue"))
    assert product_card(page, kit).locator("[data-price=offered]").count() == 0
    add_to_cart(page, kit, 1)
    assert money("11.90") in page.locator("[data-total=incl]").inner_text()
    confirm_order(page, "Camille Martin", "12 rue des Lilas\n44230 Saint-Sébastien-sur-Loire")

    second = Order.objects.filter(buyer=resident).exclude(id=first.id).get()
    assert path_of(page) == reverse("shop:order", args=[second.reference])
    assert second.total_incl_vat == Decimal("11.90")
    warnings = messages(page, "warning")
    assert len(warnings) == 1 and kit.name in warnings[0]
    assert second.reference in page.locator("section[aria-labelledby=pay-title]").inner_text()
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("488.10")
