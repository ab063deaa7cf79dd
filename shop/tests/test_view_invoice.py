"""The invoice download: a PDF for the buyer (or their commune's mayor's office), 404 for anyone else."""

import pytest
from django.urls import reverse

from shop.models import Order

from .helpers import SIRET, move, pdf_text, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


def url(order) -> str:
    return reverse("shop:invoice", args=[order.reference])


@pytest.fixture
def shipped(mayor_office, street_sign, staff):
    return move(
        town_hall_order(mayor_office, {street_sign: 2}), Status.CONFIRMED, Status.SHIPPED, actor=staff
    )


def test_the_mayors_office_downloads_its_invoice(client, mayor_office, shipped):
    client.force_login(mayor_office)

    response = client.get(url(shipped))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="facture-{shipped.invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert shipped.invoice.number in text and SIRET in text and "ENG-2026-0042" in text


def test_there_is_no_invoice_before_shipping(client, mayor_office, street_sign, staff):
    order = move(town_hall_order(mayor_office, {street_sign: 1}), Status.CONFIRMED, actor=staff)
    client.force_login(mayor_office)

    assert client.get(url(order)).status_code == 404


def test_the_mayors_office_of_another_commune_gets_404(client, other_mayor_office, shipped):
    client.force_login(other_mayor_office)

    assert client.get(url(shipped)).status_code == 404


def test_a_resident_gets_404_on_the_town_halls_invoice(client, resident, shipped):
    client.force_login(resident)

    assert client.get(url(shipped)).status_code == 404


def test_a_resident_downloads_their_own_invoice_and_no_one_elses(client, resident, outsider, sticker, staff):
    order = move(resident_order(resident, {sticker: 2}).order, Status.PAID, Status.SHIPPED, actor=staff)

    client.force_login(outsider)
    assert client.get(url(order)).status_code == 404
    client.force_login(resident)
    response = client.get(url(order))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_visitor_is_sent_to_log_in(client, shipped):
    response = client.get(url(shipped))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
