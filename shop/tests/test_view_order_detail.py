"""An order's page: the buyer sees it, so does their mayor's office for town-hall orders; others get 404."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shop import services
from shop.models import Order

from .factories import ProductFactory
from .helpers import money, move, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


def url(order) -> str:
    return reverse("shop:order", args=[order.reference])


@pytest.fixture
def resident_purchase(resident, sticker):
    return resident_order(resident, {sticker: 1}).order


@pytest.fixture
def town_hall_purchase(mayor_office, street_sign):
    return town_hall_order(mayor_office, {street_sign: 2})


def test_the_buyer_sees_their_order_its_lines_and_history(client, resident, resident_purchase):
    client.force_login(resident)

    response = client.get(url(resident_purchase))

    assert response.status_code == 200
    page = response.content.decode()
    assert resident_purchase.reference in page
    assert "STK-BAL" in page
    assert 'data-status="confirmed"' in page


def test_someone_elses_order_is_a_404(client, outsider, resident_purchase):
    client.force_login(outsider)

    assert client.get(url(resident_purchase)).status_code == 404


def test_a_member_of_the_same_community_gets_404_too(client, community, resident_purchase):
    from neighbourhoods.tests.factories import MembershipFactory

    client.force_login(MembershipFactory(community=community).user)

    assert client.get(url(resident_purchase)).status_code == 404


def test_an_unknown_reference_is_a_404(client, resident):
    client.force_login(resident)

    assert client.get(reverse("shop:order", args=["VIG-0000-NOPE"])).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, resident_purchase):
    response = client.get(url(resident_purchase))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_mayors_office_sees_its_communes_town_hall_orders(client, mayor_office, town_hall_purchase):
    from accounts.tests.factories import UserFactory, enable_totp
    from neighbourhoods.selectors import official_commune

    colleague = UserFactory(official_role="mayor_office", official_commune=official_commune(mayor_office))
    enable_totp(colleague)
    client.force_login(colleague)

    response = client.get(url(town_hall_purchase))

    assert response.status_code == 200
    assert "ENG-2026-0042" in response.content.decode()


def test_the_mayors_office_of_another_commune_gets_404(client, other_mayor_office, town_hall_purchase):
    client.force_login(other_mayor_office)

    assert client.get(url(town_hall_purchase)).status_code == 404


def test_the_mayors_office_does_not_see_residents_orders_of_its_commune(
    client, mayor_office, resident_purchase
):
    client.force_login(mayor_office)

    assert client.get(url(resident_purchase)).status_code == 404


def test_a_resident_of_the_commune_does_not_see_the_town_halls_order(client, resident, town_hall_purchase):
    client.force_login(resident)

    assert client.get(url(town_hall_purchase)).status_code == 404


def test_the_transfer_instructions_go_once_the_order_is_paid(client, resident, resident_purchase, staff):
    move(resident_purchase, Status.PAID, actor=staff)
    client.force_login(resident)

    assert 'id="pay-title"' not in client.get(url(resident_purchase)).content.decode()


def test_the_invoice_link_appears_once_shipped(client, mayor_office, town_hall_purchase, staff):
    client.force_login(mayor_office)
    invoice_url = reverse("shop:invoice", args=[town_hall_purchase.reference])
    assert invoice_url not in client.get(url(town_hall_purchase)).content.decode()

    move(town_hall_purchase, Status.CONFIRMED, Status.SHIPPED, actor=staff)

    page = client.get(url(town_hall_purchase)).content.decode()
    assert invoice_url in page
    assert "6A12345678901" in page


def test_a_cancelled_order_shows_the_reason(client, resident, resident_purchase, staff):
    move(resident_purchase, Status.CANCELLED, actor=staff)
    client.force_login(resident)

    assert "Demande du client" in client.get(url(resident_purchase)).content.decode()


def test_my_orders_lists_only_mine(client, resident, outsider, sticker, resident_purchase):
    theirs = resident_order(outsider, {sticker: 1}).order
    client.force_login(resident)

    page = client.get(reverse("shop:orders")).content.decode()

    assert resident_purchase.reference in page
    assert theirs.reference not in page


def test_two_door_stickers_at_4_90_cost_9_80_on_the_order_page(client, resident, door_sticker):
    order = resident_order(resident, {door_sticker: 2}).order
    client.force_login(resident)

    page = client.get(url(order)).content.decode()

    assert order.total_incl_vat == Decimal("9.80")
    assert f'data-amount="unit">{money("4.90")} €' in page
    assert f'data-amount="total">{money("9.80")} €' in page
    assert f'data-total="incl"><strong>{money("9.80")} €' in page
    instructions = re.search(r'<section class="notice" aria-labelledby="pay-title">.*?</section>', page, re.S)
    assert f"{money('9.80')} €" in instructions.group(0)


def test_the_buyer_sees_unit_prices_incl_vat_never_excl_vat(client, resident, door_sticker):
    order = resident_order(resident, {door_sticker: 2}).order
    client.force_login(resident)

    page = client.get(url(order), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Unit price incl. VAT" in page and "Total incl. VAT" in page
    assert "excl. VAT" not in page and "4.08" not in page


def test_a_town_hall_order_shows_prices_excl_vat_and_the_vat_of_each_rate(
    client, mayor_office, street_sign, kit
):
    reduced = ProductFactory(
        sku="LIV-GUIDE", name="Guide", price_excl_vat=Decimal("7.35"), vat_rate=Decimal("5.50")
    )
    order = town_hall_order(mayor_office, {street_sign: 4, kit: 2, reduced: 3})
    client.force_login(mayor_office)

    page = client.get(url(order), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Unit price excl. VAT" in page and "Total excl. VAT" in page
    rows = dict(re.findall(r'<tr data-line="([^"]+)">(.*?)</tr>', page))
    assert 'data-amount="unit">41.58 €' in rows["PAN-S"] and 'data-amount="total">166.32 €' in rows["PAN-S"]
    assert 'data-amount="unit">9.92 €' in rows["KIT-FOYER"] and 'total">19.84 €' in rows["KIT-FOYER"]
    assert "5.5\u00a0%" in rows["LIV-GUIDE"] and 'data-amount="total">22.05 €' in rows["LIV-GUIDE"]
    assert 'data-total="excl">208.21 €' in page  # 166.32 + 19.84 + 22.05
    assert 'data-total="vat-5.5">1.21 €' in page  # 1.2128
    assert 'data-total="vat-20">37.23 €' in page  # 33.26 + 3.97
    assert 'data-total="incl"><strong>246.65 €' in page
    assert order.total_incl_vat == Decimal("246.65")


def test_staff_notes_are_never_shown_to_the_buyer(client, resident, resident_purchase, staff):
    for status, note in ((Status.PAID, "Virement reçu, client pénible"), (Status.SHIPPED, "Colis abîmé")):
        services.order_transition(
            order_id=resident_purchase.id, to_status=status, actor=staff, note=note, tracking_number="6A1"
        )
    client.force_login(resident)

    page = client.get(url(resident_purchase)).content.decode()

    assert "pénible" not in page and "abîmé" not in page
    assert page.count("<li>") >= 3  # the history is still there: confirmed, paid, shipped


def test_the_buyer_sees_the_reason_of_a_cancellation_but_not_the_staff_note(
    client, resident, resident_purchase, staff
):
    services.order_transition(
        order_id=resident_purchase.id,
        to_status=Status.CANCELLED,
        actor=staff,
        reason="Rupture de stock",
        note="Fournisseur en retard, ne pas le dire",
    )
    client.force_login(resident)

    page = client.get(url(resident_purchase)).content.decode()

    assert "Rupture de stock" in page
    assert "Fournisseur" not in page
