"""An order's page: the buyer sees it, so does their mayor's office for town-hall orders; others get 404."""

import pytest
from django.urls import reverse

from shop.models import Order

from .helpers import move, resident_order, town_hall_order

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
