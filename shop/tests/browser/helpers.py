"""Steps the shop journeys share: they select by field names, ids, data attributes and URLs, not text."""

import re

from django.urls import reverse
from playwright.sync_api import Page

from shop.models import Order


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def submit(page: Page, form_selector: str, button: str = "[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(form_selector).locator(button).first.click()


def product_card(page: Page, product):
    return page.locator(f"#product-{product.id}")


def add_to_cart(page: Page, product, quantity: int) -> None:
    page.goto(reverse("shop:catalogue"))
    card = product_card(page, product)
    card.locator("input[name=quantity]").fill(str(quantity))
    with page.expect_navigation():
        card.locator("button[type=submit]").click()


def set_cart_quantity(page: Page, product, quantity) -> None:
    form = page.locator(f"form:has(#cart-qty-{product.id})")
    form.locator("input[name=quantity]").fill(str(quantity))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def confirm_order(page: Page, name: str, address: str) -> None:
    page.goto(reverse("shop:cart"))
    page.fill("input[name=delivery_name]", name)
    page.fill("textarea[name=delivery_address]", address)
    submit(page, f"form[action='{reverse('shop:checkout')}']")


def messages(page: Page, kind: str) -> list[str]:
    return page.locator(f".messages .message-{kind}").all_inner_texts()


def admin_transition(
    page: Page, order: Order, status: str, *, reason: str = "", note: str = "", tracking: str = ""
) -> None:
    """Opens the order in the admin, follows the link to the transition page, applies a status."""
    page.goto(reverse("admin:shop_order_change", args=[order.id]))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('admin:shop_order_transition', args=[order.id])}']")
    page.select_option("select[name=to_status]", status)
    if reason:
        page.fill("textarea[name=reason]", reason)
    if note:
        page.fill("textarea[name=note]", note)
    if tracking:
        page.fill("input[name=tracking_number]", tracking)
    submit(page, "form:has(select[name=to_status])")


def offered_statuses(page: Page, order: Order) -> list[str]:
    page.goto(reverse("admin:shop_order_transition", args=[order.id]))
    options = page.locator("select[name=to_status] option")
    return [value for value in options.evaluate_all("options => options.map(o => o.value)") if value]
