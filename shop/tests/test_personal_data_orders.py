"""What a resident's orders keep once the resident deletes their account: an order not paid is
cancelled and keeps nothing of them; an invoiced one keeps what its invoice prints, nothing
else; the page that deletes the account says so."""

from html import unescape

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from shop.invoice_pdf import invoice_pdf
from shop.models import Order, OrderEvent, Product, SignageProgramme

from .helpers import ADDRESS, move, page_language, pdf_text, resident_order

pytestmark = pytest.mark.django_db

Status = Order.Status
NAME = ADDRESS["delivery_name"]
STREET = "rue des Lilas"
KEPT = (
    "Your signage orders not paid yet are cancelled, and lose your name and address.",
    "The invoices of your paid orders keep, for ten years, the name and address they are made out to "
    "and what you bought, because French law requires accounting documents to be kept that long "
    "(art. L123-22 of the Code de commerce). Nothing else about you stays with those orders.",
    "An order you have paid that has not been shipped yet is still sent to the name and address "
    "you gave, then invoiced as above.",
)


def delete_account(client, user):
    client.force_login(user)
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 302


def what_it_holds(order: Order) -> str:
    """Every value of the order and of its events, as one text."""
    events = OrderEvent.objects.filter(order=order).values()
    return repr(model_to_dict(order)) + repr(list(events))


@pytest.fixture
def unpaid(resident, sticker):
    return resident_order(resident, {sticker: 3}).order


@pytest.fixture
def invoiced(resident, kit, staff):
    return move(resident_order(resident, {kit: 2}).order, Status.PAID, Status.SHIPPED, actor=staff)


def test_an_unpaid_order_is_cancelled_and_its_stock_comes_back(client, resident, unpaid, sticker):
    assert Product.objects.get(id=sticker.id).stock == 97

    delete_account(client, resident)

    unpaid.refresh_from_db()
    assert unpaid.status == Status.CANCELLED
    assert unpaid.events.last().from_status == Status.CONFIRMED
    assert unpaid.cancel_reason == page_language("The buyer deleted their account.")
    assert Product.objects.get(id=sticker.id).stock == 100


def test_an_unpaid_order_holds_no_name_address_or_tracking_any_more(client, resident, unpaid):
    delete_account(client, resident)

    unpaid.refresh_from_db()
    assert (unpaid.delivery_name, unpaid.delivery_address, unpaid.billing_address) == ("", "", "")
    assert unpaid.tracking_number == ""
    assert unpaid.buyer is None
    assert NAME not in what_it_holds(unpaid) and STREET not in what_it_holds(unpaid)
    assert resident.email not in what_it_holds(unpaid)


def test_an_unpaid_order_offered_by_the_town_hall_gives_its_budget_back(
    client, resident, kit, mairie_vigilante
):
    offered = resident_order(resident, {kit: 1}).order
    assert offered.funded_amount > 0 and offered.status == Status.CONFIRMED

    delete_account(client, resident)

    offered.refresh_from_db()
    assert offered.status == Status.CANCELLED
    assert (
        SignageProgramme.objects.get(id=mairie_vigilante.id).budget_remaining
        == mairie_vigilante.budget_remaining
    )
    assert NAME not in what_it_holds(offered)


def test_an_invoiced_order_keeps_what_its_invoice_prints_and_nothing_else(client, resident, invoiced):
    printed_before = pdf_text(invoice_pdf(invoiced.invoice))
    number = invoiced.invoice.number

    delete_account(client, resident)

    invoiced.refresh_from_db()
    assert invoiced.status == Status.SHIPPED
    assert invoiced.invoice.number == number
    assert invoiced.delivery_name == NAME
    assert invoiced.billing_address == ADDRESS["delivery_address"]  # the address the invoice bills
    assert (invoiced.delivery_address, invoiced.tracking_number) == ("", "")
    assert invoiced.lines.exists() and invoiced.total_incl_vat > 0
    assert pdf_text(invoice_pdf(invoiced.invoice)) == printed_before


def test_both_at_once_only_the_invoice_keeps_the_name_and_street(client, resident, unpaid, invoiced):
    delete_account(client, resident)

    holding_the_name = [o for o in Order.objects.all() if NAME in what_it_holds(o)]
    holding_the_street = [o for o in Order.objects.all() if STREET in what_it_holds(o)]
    assert holding_the_name == holding_the_street == [invoiced]
    assert Order.objects.get(id=unpaid.id).status == Status.CANCELLED


def test_the_delete_page_says_what_is_kept_and_why(client, resident):
    client.force_login(resident)

    page = client.get(reverse("account_delete")).content.decode()

    assert page_language("What is kept, and why") in unescape(page)
    for sentence in KEPT:
        assert page_language(sentence) in unescape(page)
