"""Journey 3: a mayor's office orders street signs on invoice, staff ship them, it downloads the invoice."""

import pytest
from django.urls import reverse

from shop.models import Order
from vigilance.tests.browser_support import DESKTOP

from ..helpers import SIRET, pdf_text, town_hall_order
from .helpers import admin_transition, path_of, submit

pytestmark = pytest.mark.browser


def test_a_mayors_office_orders_signs_staff_ship_them_and_the_office_downloads_the_invoice(
    new_page, mayor_office, other_mayor_office, street_sign, staff, tmp_path
):
    elsewhere = town_hall_order(other_mayor_office, {street_sign: 1})
    office = new_page(user=mayor_office, viewport=DESKTOP)
    office.goto(reverse("shop:catalogue"))
    with office.expect_navigation():
        office.click(f"main a[href='{reverse('shop:town_hall_order')}']")

    office.fill(f"input[name=qty-{street_sign.id}]", "6")
    office.fill("input[name=siret]", "214 401 903 00015")
    office.fill("input[name=purchase_order_number]", "ENG-2026-0042")
    office.fill("input[name=delivery_name]", "Services techniques")
    office.fill(
        "textarea[name=delivery_address]",
        "Centre technique municipal\n3 rue de la Fontaine\n44230 Saint-Sébastien-sur-Loire",
    )
    office.fill(
        "textarea[name=billing_address]", "Mairie\nPlace de l’Hôtel de Ville\n44230 Saint-Sébastien-sur-Loire"
    )
    submit(office, "form:has(input[name=siret])")

    order = Order.objects.get(buyer=mayor_office)
    assert path_of(office) == reverse("shop:order", args=[order.reference])
    assert (order.siret, order.purchase_order_number, order.status) == (
        SIRET,
        "ENG-2026-0042",
        Order.Status.PENDING,
    )
    assert order.lines.get().quantity == 6

    admin = new_page(user=staff, viewport=DESKTOP)
    admin_transition(admin, order, Order.Status.CONFIRMED)
    admin_transition(admin, order, Order.Status.SHIPPED, tracking="6A12345678901")
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and order.tracking_number == "6A12345678901"
    street_sign.refresh_from_db()
    assert street_sign.stock == 34

    office.goto(reverse("shop:town_hall_orders"))
    listed = office.locator(f"main a[href^='{reverse('shop:orders')}']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert reverse("shop:order", args=[order.reference]) in listed
    assert not any(elsewhere.reference in href for href in listed)
    with office.expect_download() as download_info:
        office.click(f"a[href='{reverse('shop:invoice', args=[order.reference])}']")
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert download.suggested_filename == f"facture-{order.invoice.number}.pdf"
    text = pdf_text(data)
    assert order.invoice.number in text and SIRET in text and "ENG-2026-0042" in text

    assert office.goto(reverse("shop:order", args=[elsewhere.reference])).status == 404
    assert office.goto(reverse("shop:invoice", args=[elsewhere.reference])).status == 404
