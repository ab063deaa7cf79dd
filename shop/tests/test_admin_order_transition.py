"""Staff change an order's status in the admin, through the table of allowed transitions."""

import re

import pytest
from django.urls import reverse

from shop.models import Invoice, Order

from .helpers import messages_of, move, page_language, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


def url(order) -> str:
    return reverse("admin:shop_order_transition", args=[order.id])


@pytest.fixture
def order(resident, sticker):
    return resident_order(resident, {sticker: 2}).order


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def offered(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["to_status"].choices if value]


def test_the_change_page_links_to_the_transition_page(admin_client, order):
    page = admin_client.get(reverse("admin:shop_order_change", args=[order.id])).content.decode()

    assert url(order) in page


def test_the_page_offers_only_the_transitions_allowed_now(admin_client, order):
    response = admin_client.get(url(order))

    assert response.status_code == 200
    assert offered(response) == [Status.PAID, Status.CANCELLED]  # not "shipped": a transfer is paid first


def test_an_invoice_order_may_ship_before_it_is_paid(admin_client, mayor_office, street_sign, staff):
    order = move(town_hall_order(mayor_office, {street_sign: 1}), Status.CONFIRMED, actor=staff)

    assert offered(admin_client.get(url(order))) == [Status.PAID, Status.SHIPPED, Status.CANCELLED]


def test_a_cancelled_order_offers_nothing(admin_client, order, staff):
    move(order, Status.CANCELLED, actor=staff)

    response = admin_client.get(url(order))

    assert offered(response) == []
    assert page_language("This order cannot change any more.") in response.content.decode()


def test_an_allowed_transition_is_applied_and_recorded(admin_client, order, staff):
    response = admin_client.post(url(order), {"to_status": Status.PAID, "note": "Virement reçu le 3"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:shop_order_change", args=[order.id])
    assert messages_of(response) == [page_language("Order %(ref)s updated.", ref=order.reference)]
    order.refresh_from_db()
    assert order.status == Status.PAID
    event = order.events.last()
    assert (event.to_status, event.actor, event.note) == (Status.PAID, staff, "Virement reçu le 3")


def test_the_status_list_preselects_nothing_let_alone_cancelled(admin_client, order):
    page = admin_client.get(url(order)).content.decode()

    select = re.search(r'<select name="to_status".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    assert options[0][0] == ""  # a blank first choice: nothing is picked for staff
    assert [value for value, attributes in options if "selected" in attributes] in ([], [""])
    assert options[-1][0] == Status.CANCELLED


def test_applying_without_choosing_a_status_changes_nothing(admin_client, order):
    response = admin_client.post(url(order), {"to_status": "", "note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["to_status"]
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED and order.events.count() == 1


def test_cancelling_keeps_the_staff_note_apart_from_the_reason_given_to_the_buyer(admin_client, order, staff):
    admin_client.post(
        url(order),
        {"to_status": Status.CANCELLED, "reason": "Adresse introuvable", "note": "Client déjà signalé"},
    )

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "Adresse introuvable")
    assert order.events.last().note == "Client déjà signalé"


def test_shipping_with_a_tracking_number_issues_the_invoice(admin_client, order, staff):
    move(order, Status.PAID, actor=staff)

    admin_client.post(url(order), {"to_status": Status.SHIPPED, "tracking_number": "6A42"})

    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (Status.SHIPPED, "6A42")
    assert Invoice.objects.filter(order=order).exists()


def test_a_disallowed_transition_is_refused_with_a_message(admin_client, order):
    response = admin_client.post(url(order), {"to_status": Status.DELIVERED})

    assert response.status_code == 200
    assert response.context["form"].errors["to_status"]
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert order.events.count() == 1


def test_shipping_an_unpaid_transfer_order_is_refused(admin_client, order):
    response = admin_client.post(url(order), {"to_status": Status.SHIPPED, "tracking_number": "6A42"})

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED and order.tracking_number == ""
    assert not Invoice.objects.exists()


def test_cancelling_without_a_reason_shows_the_error(admin_client, order):
    response = admin_client.post(url(order), {"to_status": Status.CANCELLED, "note": "Client pénible"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        page_language("Give the reason for the cancellation.")
    ]
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


def test_shipping_without_a_tracking_number_shows_the_error(admin_client, order, staff):
    move(order, Status.PAID, actor=staff)

    response = admin_client.post(url(order), {"to_status": Status.SHIPPED, "tracking_number": " "})

    assert response.context["form"].non_field_errors() == [
        page_language("Give the carrier's tracking number.")
    ]
    order.refresh_from_db()
    assert order.status == Status.PAID


def test_a_mayors_office_cannot_change_an_orders_status(client, mayor_office, order):
    client.force_login(mayor_office)  # is_staff, but no permission on orders

    response = client.post(url(order), {"to_status": Status.PAID})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


def test_a_member_is_sent_to_the_admin_login(client, resident, order):
    client.force_login(resident)

    response = client.post(url(order), {"to_status": Status.PAID})

    assert response.status_code == 302 and "login" in response["Location"]
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


def test_an_unknown_order_is_a_404(admin_client):
    assert admin_client.get(reverse("admin:shop_order_transition", args=[999_999])).status_code == 404
