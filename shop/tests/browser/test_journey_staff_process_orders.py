"""Journey 4: staff move orders in the admin; only allowed transitions are offered; each step emails."""

import pytest
from django.core import mail

from shop.models import Order
from vigilance.tests.browser_support import DESKTOP

from ..helpers import resident_order, town_hall_order
from .helpers import admin_transition, offered_statuses

pytestmark = pytest.mark.browser

Status = Order.Status


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_staff_confirm_mark_paid_ship_deliver_and_cancel_and_each_step_emails_the_buyer(
    new_page, run_tasks, resident, outsider, mayor_office, sticker, street_sign, staff
):
    paid_by_transfer = resident_order(resident, {sticker: 2}).order
    to_cancel = resident_order(outsider, {sticker: 5}).order
    on_invoice = town_hall_order(mayor_office, {street_sign: 2})
    mail.outbox.clear()
    admin = new_page(user=staff, viewport=DESKTOP)

    assert offered_statuses(admin, on_invoice) == [Status.CONFIRMED, Status.CANCELLED]
    assert admin.locator("select[name=to_status]").input_value() == ""  # nothing chosen in advance
    admin_transition(admin, on_invoice, Status.CONFIRMED)
    assert offered_statuses(admin, on_invoice) == [Status.PAID, Status.SHIPPED, Status.CANCELLED]

    assert offered_statuses(admin, paid_by_transfer) == [Status.PAID, Status.CANCELLED]  # not shipped: unpaid
    admin_transition(admin, paid_by_transfer, Status.PAID, note="Virement reçu")
    admin_transition(admin, paid_by_transfer, Status.SHIPPED, tracking="6A12345678901")
    assert offered_statuses(admin, paid_by_transfer) == [Status.DELIVERED]
    admin_transition(admin, paid_by_transfer, Status.DELIVERED)
    assert offered_statuses(admin, paid_by_transfer) == []

    admin_transition(admin, to_cancel, Status.CANCELLED, reason="Adresse introuvable", note="Déjà vu")

    paid_by_transfer.refresh_from_db()
    to_cancel.refresh_from_db()
    on_invoice.refresh_from_db()
    assert paid_by_transfer.status == Status.DELIVERED
    assert [(e.from_status, e.to_status, e.actor) for e in paid_by_transfer.events.all()] == [
        (Status.PENDING, Status.CONFIRMED, resident),
        (Status.CONFIRMED, Status.PAID, staff),
        (Status.PAID, Status.SHIPPED, staff),
        (Status.SHIPPED, Status.DELIVERED, staff),
    ]
    assert (to_cancel.status, to_cancel.cancel_reason) == (Status.CANCELLED, "Adresse introuvable")
    assert on_invoice.status == Status.CONFIRMED
    sticker.refresh_from_db()
    assert sticker.stock == 98  # 100 - 2 delivered; the cancelled 5 came back
    street_sign.refresh_from_db()
    assert street_sign.stock == 38

    assert len(emails_to(resident.email)) == 3  # paid, shipped, delivered
    assert all(paid_by_transfer.reference in m.subject for m in emails_to(resident.email))
    assert "6A12345678901" in emails_to(resident.email)[1].body
    assert len(emails_to(outsider.email)) == 1 and "Adresse introuvable" in emails_to(outsider.email)[0].body
    assert "Virement reçu" not in emails_to(resident.email)[0].body  # staff notes stay with staff
    assert "Déjà vu" not in emails_to(outsider.email)[0].body
    assert len(emails_to(mayor_office.email)) == 1  # confirmed
    assert len(mail.outbox) == 5
