"""The catalogue: everyone sees products, prices and availability; only approved members get order forms."""

import pytest
from django.urls import reverse

from shop.models import Product

from .factories import ProductFactory
from .helpers import money, page_language

pytestmark = pytest.mark.django_db

URL = reverse("shop:catalogue")
ADD = f'action="{reverse("shop:cart_add")}"'


@pytest.fixture
def catalogue(sticker, kit, street_sign):
    return {"sticker": sticker, "kit": kit, "street_sign": street_sign}


def test_visitors_see_the_products_with_prices_incl_vat_and_the_signs_excl_vat_too(client, catalogue):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    for product in catalogue.values():
        assert product.name in page or product.name.replace("'", "&#x27;") in page
    assert f"{money('11.90')} € {page_language('incl. VAT')}" in page
    assert f"{money('41.58')} € {page_language('excl. VAT')}" in page  # a sign, sold to town halls
    assert f"{page_language('VAT')} 20\u00a0%" in page
    assert 'src="/static/img/shop/sticker-kit.svg"' in page


def test_a_resident_sees_stickers_at_their_price_incl_vat_only(client, resident, sticker):
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert f"{money('3.90')} € {page_language('incl. VAT')}" in page
    assert 'data-price="excl"' not in page and money("3.25") not in page


def test_a_mayors_office_sees_the_prices_excl_vat(client, mayor_office, sticker):
    client.force_login(mayor_office)

    page = client.get(URL).content.decode()

    assert f"{money('3.25')} € {page_language('excl. VAT')}" in page


def test_availability_is_shown(client, sticker):
    ProductFactory(name="Épuisé", stock=0)

    page = client.get(URL).content.decode()

    assert page_language("In stock") in page
    assert page_language("Out of stock") in page


def test_withdrawn_products_are_not_listed(client, sticker):
    ProductFactory(name="Ancien autocollant", is_active=False)

    page = client.get(URL).content.decode()

    assert "Ancien autocollant" not in page
    assert sticker.name in page


def test_visitors_get_no_order_form(client, catalogue):
    page = client.get(URL).content.decode()

    assert ADD not in page
    assert (
        page_language(
            "Only approved members of a community can order. Join your neighbourhood's community first."
        )
        in page
    )


def test_members_not_yet_approved_get_no_order_form(client, pending_resident, catalogue):
    client.force_login(pending_resident)

    page = client.get(URL).content.decode()

    assert ADD not in page


def test_approved_members_get_a_form_for_each_product_they_may_order(client, resident, catalogue):
    ProductFactory(sku="OUT", stock=0)
    client.force_login(resident)

    response = client.get(URL)

    page = response.content.decode()
    forms = page.count(ADD)
    assert forms == 2  # the sticker and the kit; not the street sign (town halls) nor what is out of stock
    assert f'name="product" value="{catalogue["sticker"].id}"' in page
    assert f'name="product" value="{catalogue["kit"].id}"' in page
    assert f'name="product" value="{catalogue["street_sign"].id}"' not in page


def test_members_of_a_mairie_vigilante_see_the_kit_offered(client, resident, kit, mairie_vigilante):
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert page.count('data-price="offered"') == 1
    assert page_language("€0 — offered by your town hall") in page


def test_the_kit_is_no_longer_shown_offered_once_received(client, resident, kit, mairie_vigilante):
    from .helpers import resident_order

    resident_order(resident, {kit: 1})
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert 'data-price="offered"' not in page


def test_the_kit_is_not_shown_offered_when_the_budget_cannot_pay_for_it(
    client, resident, kit, mairie_vigilante
):
    mairie_vigilante.budget_remaining = "11.89"
    mairie_vigilante.save()
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert 'data-price="offered"' not in page


def test_members_of_another_commune_do_not_see_it_offered(client, outsider, kit, mairie_vigilante):
    client.force_login(outsider)

    assert 'data-price="offered"' not in client.get(URL).content.decode()


def test_a_mayors_office_gets_a_link_to_order_for_the_commune(client, mayor_office, street_sign):
    client.force_login(mayor_office)

    page = client.get(URL).content.decode()

    assert reverse("shop:town_hall_order") in page
    assert Product.objects.count() == 1
