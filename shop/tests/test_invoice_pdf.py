"""The PDF invoice: a gapless number, both parties' legal mentions, lines excl. VAT, VAT and total."""

from decimal import Decimal

import pytest
from django.conf import settings

from shop import services
from shop.invoice_pdf import invoice_pdf
from shop.models import Order, Product

from .factories import ProductFactory
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


def test_a_residents_invoice_for_two_door_stickers_says_9_80_with_prices_incl_vat(
    resident, door_sticker, staff
):
    order = move(resident_order(resident, {door_sticker: 2}).order, Status.PAID, Status.SHIPPED, actor=staff)

    text = pdf_text(invoice_pdf(order.invoice))

    assert "PU TTC" in text and "Total TTC" in text and "PU HT" not in text
    assert "4,90 EUR" in text and "9,80 EUR" in text  # unit price and line, incl. VAT
    assert "9,79 EUR" not in text and "4,08 EUR" not in text
    assert "8,17 EUR" in text and "1,63 EUR" in text  # total excl. VAT and the VAT it includes


def test_a_town_halls_invoice_gives_each_line_excl_vat_and_the_vat_of_each_rate(
    mayor_office, street_sign, kit, staff
):
    guide = ProductFactory(
        sku="LIV-GUIDE", name="Guide du voisin", price_excl_vat=Decimal("7.35"), vat_rate=Decimal("5.50")
    )
    order = town_hall_order(mayor_office, {street_sign: 4, kit: 2, guide: 3})
    order = move(order, Status.CONFIRMED, Status.SHIPPED, actor=staff)

    text = pdf_text(invoice_pdf(order.invoice))

    assert "PU HT" in text and "Total HT" in text
    for unit, rate, total in (
        ("41,58", "20 %", "166,32"),
        ("9,92", "20 %", "19,84"),
        ("7,35", "5,5 %", "22,05"),
    ):
        assert f"{unit} EUR" in text
        assert f"{total} EUR" in text
        assert rate in text
    assert "208,21 EUR" in text  # total excl. VAT
    assert "TVA 5,5 % (base 22,05 EUR)" in text and "1,21 EUR" in text
    assert "TVA 20 % (base 186,16 EUR)" in text and "37,23 EUR" in text
    assert "246,65 EUR" in text  # total incl. VAT
    assert order.total_incl_vat == Decimal("246.65")


def test_the_invoice_never_prints_a_staff_note(mayor_office, street_sign, staff):
    order = town_hall_order(mayor_office, {street_sign: 1})
    services.order_transition(order_id=order.id, to_status=Status.CONFIRMED, actor=staff, note="Mairie lente")
    services.order_transition(
        order_id=order.id, to_status=Status.SHIPPED, actor=staff, note="Relancer", tracking_number="6A1"
    )
    order.refresh_from_db()

    text = pdf_text(invoice_pdf(order.invoice))

    assert "Mairie lente" not in text and "Relancer" not in text


def test_an_order_placed_before_prices_incl_vat_keeps_the_amounts_it_was_invoiced_at(
    resident, door_sticker, staff
):
    order = resident_order(resident, {door_sticker: 2}).order
    Order.objects.filter(id=order.id).update(  # as orders were priced until issue 13: excl. VAT per line
        prices_incl_vat=False, total_excl_vat="8.16", total_vat="1.63", total_incl_vat="9.79"
    )
    order = move(order, Status.PAID, Status.SHIPPED, actor=staff)

    text = pdf_text(invoice_pdf(order.invoice))

    assert "PU HT" in text and "4,08 EUR" in text and "8,16 EUR" in text
    assert "9,79 EUR" in text and "9,80 EUR" not in text
