"""The PDF invoice: a gapless number, both parties' legal mentions, lines excl. VAT, VAT and total."""

import pytest
from django.conf import settings

from shop.invoice_pdf import invoice_pdf
from shop.models import Order, Product

from .helpers import SIRET, move, pdf_text, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


@pytest.fixture
def shipped(mayor_office, street_sign, kit, staff):
    order = town_hall_order(mayor_office, {street_sign: 4, kit: 2})
    return move(order, Status.CONFIRMED, Status.SHIPPED, actor=staff)


def test_the_invoice_is_a_pdf(shipped):
    assert invoice_pdf(shipped.invoice).startswith(b"%PDF")


def test_it_shows_its_number_the_order_and_the_buyers_siret_and_purchase_order_number(shipped):
    text = pdf_text(invoice_pdf(shipped.invoice))

    assert shipped.invoice.number in text
    assert shipped.reference in text
    assert f"SIRET : {SIRET}" in text
    assert "ENG-2026-0042" in text
    assert "Place de l'Hôtel de Ville" in text


def test_it_shows_the_sellers_legal_mentions(shipped):
    seller = settings.SHOP_SELLER
    text = pdf_text(invoice_pdf(shipped.invoice))

    assert seller["name"] in text
    assert f"SIRET : {seller['siret']}" in text
    assert f"TVA : {seller['vat_number']}" in text
    assert "L441-10" in text and "40 EUR" in text  # late-payment penalties and fixed indemnity


def test_it_shows_the_lines_excl_vat_the_vat_and_the_total(shipped):
    text = pdf_text(invoice_pdf(shipped.invoice))

    assert "Panneau de rue 30 × 40 cm (PAN-S)" in text
    assert "41,58 EUR" in text and "166,32 EUR" in text  # unit price and line excl. VAT
    assert "19,84 EUR" in text  # 2 kits
    assert "186,16 EUR" in text  # total excl. VAT
    assert "37,23 EUR" in text  # VAT: 33.26 + 3.97
    assert "223,39 EUR" in text  # total incl. VAT


def test_it_is_drawn_from_the_order_lines_not_from_the_catalogue(shipped, street_sign):
    Product.objects.filter(id=street_sign.id).update(name="Autre panneau", price_excl_vat="99.00")

    text = pdf_text(invoice_pdf(shipped.invoice))

    assert "Autre panneau" not in text and "99,00 EUR" not in text
    assert "41,58 EUR" in text


def test_typographic_apostrophes_and_ligatures_in_an_address_do_not_break_the_invoice(
    mayor_office, street_sign, staff
):
    order = town_hall_order(
        mayor_office,
        {street_sign: 1},
        delivery_name="Services techniques – Cœur de ville – M. Łukasz 🏠",
        billing_address="Mairie\nPlace de l’Hôtel de Ville\n44230 Saint-Sébastien-sur-Loire",
    )
    order = move(order, Status.CONFIRMED, Status.SHIPPED, actor=staff)

    data = invoice_pdf(order.invoice)

    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert order.invoice.number in text
    assert "Place de l’Hôtel de Ville" in text
    assert "Services techniques – Cœur de ville – M. ?ukasz ?" in text  # beyond Windows-1252: "?"


def test_a_resident_order_paid_by_transfer_is_invoiced_with_its_offered_line(
    resident, kit, mairie_vigilante, staff
):
    order = resident_order(resident, {kit: 2}).order
    order = move(order, Status.PAID, Status.SHIPPED, actor=staff)

    text = pdf_text(invoice_pdf(order.invoice))

    assert "offert" in text
    assert "Camille Martin" in text
    assert "11,90 EUR" in text  # total incl. VAT: the second kit
