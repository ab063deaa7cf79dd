"""The mayor's office's order form: street signs with SIRET, purchase order number and addresses."""

from html import unescape

import pytest
from django.urls import reverse

from neighbourhoods.selectors import official_commune_id
from shop.models import Order

from .factories import ProductFactory
from .helpers import SIRET, TOWN_HALL, page_language

pytestmark = pytest.mark.django_db

URL = reverse("shop:town_hall_order")


def post(client, quantities, **fields):
    data = {**TOWN_HALL, **fields, **{f"qty-{product.id}": q for product, q in quantities.items()}}
    return client.post(URL, data)


def test_the_form_lists_the_products_for_town_halls(client, mayor_office, street_sign, kit):
    residents_only = ProductFactory(name="Réservé aux habitants", for_town_halls=False)
    client.force_login(mayor_office)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="qty-{street_sign.id}"' in page and f'name="qty-{kit.id}"' in page
    assert f'name="qty-{residents_only.id}"' not in page
    for field in ("siret", "purchase_order_number", "delivery_name", "delivery_address", "billing_address"):
        assert f'name="{field}"' in page


def test_sending_the_form_places_an_order_on_invoice(client, mayor_office, street_sign, kit):
    client.force_login(mayor_office)

    response = post(client, {street_sign: "3", kit: ""})

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "shop:order", args=[order.reference]
    )
    assert (order.siret, order.purchase_order_number, order.payment) == (
        SIRET,
        "ENG-2026-0042",
        Order.Payment.INVOICE,
    )
    assert list(order.lines.values_list("sku", "quantity")) == [("PAN-S", 3)]
    assert order.commune_id == official_commune_id(mayor_office)


def test_a_bad_siret_is_shown_on_the_form_and_nothing_is_saved(client, mayor_office, street_sign):
    client.force_login(mayor_office)

    response = post(client, {street_sign: "1"}, siret="21440190300016")

    assert response.status_code == 200
    assert page_language(
        "This SIRET does not exist: its check digit is wrong (check the number on your invoices)."
    ) in unescape(response.content.decode())
    assert not Order.objects.exists()
    assert response.context["rows"][0][1] == "1"  # the quantities are kept


@pytest.mark.parametrize("quantity", ["-1", "abc", "10000", "2.5"])
def test_a_bad_quantity_is_shown_on_the_form_and_nothing_is_saved(
    client, mayor_office, street_sign, quantity
):
    client.force_login(mayor_office)

    response = post(client, {street_sign: quantity})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Order.objects.exists()


def test_no_quantity_at_all_is_refused(client, mayor_office, street_sign):
    client.force_login(mayor_office)

    response = post(client, {street_sign: "0"})

    assert page_language("Choose at least one product.") in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("missing", ["purchase_order_number", "billing_address", "delivery_address"])
def test_a_missing_field_is_refused(client, mayor_office, street_sign, missing):
    client.force_login(mayor_office)

    response = post(client, {street_sign: "1"}, **{missing: ""})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Order.objects.exists()


def test_a_product_id_for_residents_only_slipped_into_the_form_is_ignored(client, mayor_office, street_sign):
    residents_only = ProductFactory(for_town_halls=False)
    client.force_login(mayor_office)

    post(client, {street_sign: "1", residents_only: "5"})

    assert list(Order.objects.get().lines.values_list("sku", flat=True)) == ["PAN-S"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_resident_gets_404(client, resident, street_sign, method):
    client.force_login(resident)

    response = getattr(client, method)(URL, {**TOWN_HALL, f"qty-{street_sign.id}": "1"})

    assert response.status_code == 404
    assert not Order.objects.exists()


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
