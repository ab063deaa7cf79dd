"""Staff move orders along the table of allowed transitions; every change is an event."""

from datetime import UTC, datetime
from decimal import Decimal
from itertools import product as pairs
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.exceptions import NotFound
from shop import services, tasks
from shop.models import FundedClaim, Invoice, InvoiceCounter, Order, OrderEvent, Product, SignageProgramme
from shop.services import TRANSITIONS

from .helpers import move, page_language, refused_with, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status
# How a town-hall order (paid on invoice) reaches each status.
PATH_TO = {
    Status.PENDING: [],
    Status.CONFIRMED: [Status.CONFIRMED],
    Status.PAID: [Status.CONFIRMED, Status.PAID],
    Status.SHIPPED: [Status.CONFIRMED, Status.SHIPPED],
    Status.DELIVERED: [Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED],
    Status.CANCELLED: [Status.CANCELLED],
}
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
DISALLOWED = [(a, b) for a, b in pairs(Status, Status) if b not in TRANSITIONS[a]]


@pytest.fixture
def invoice_order(mayor_office, street_sign):
    return town_hall_order(mayor_office, {street_sign: 2})


@pytest.fixture
def transfer_order(resident, sticker):
    return resident_order(resident, {sticker: 3}).order


def snapshot(order):
    order = Order.objects.get(id=order.id)
    return {
        "order": {f.name: getattr(order, f.name) for f in Order._meta.fields},
        "events": list(OrderEvent.objects.filter(order=order).values_list("id", flat=True)),
        "stock": dict(Product.objects.values_list("sku", "stock")),
        "budget": list(SignageProgramme.objects.values_list("budget_remaining", flat=True)),
        "invoices": list(Invoice.objects.values_list("number", flat=True)),
        "counters": list(InvoiceCounter.objects.values_list("year", "last_number")),
        "claims": list(FundedClaim.objects.values_list("id", flat=True)),
    }


def invoice_number(count: int) -> str:
    return f"F{timezone.localdate().year}-{count:05d}"


def test_the_table_names_every_status():
    assert set(TRANSITIONS) == set(Status)
    assert TRANSITIONS[Status.CANCELLED] == set()


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_transition_works_and_records_an_event_with_its_actor(
    invoice_order, staff, from_status, to_status
):
    order = move(invoice_order, *PATH_TO[from_status], actor=staff)
    events_before = order.events.count()

    order = move(order, to_status, actor=staff)

    order.refresh_from_db()
    assert order.status == to_status
    assert order.events.count() == events_before + 1
    event = order.events.last()
    assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, staff)


@pytest.mark.parametrize(("from_status", "to_status"), DISALLOWED)
def test_every_disallowed_transition_is_refused_clearly_and_changes_nothing(
    invoice_order, staff, from_status, to_status, django_capture_on_commit_callbacks
):
    order = move(invoice_order, *PATH_TO[from_status], actor=staff)
    before = snapshot(order)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as error:
        services.order_transition(
            order_id=order.id,
            to_status=to_status,
            actor=staff,
            reason="Pourquoi pas",
            tracking_number="6A999",
        )

    assert error.value.messages == [
        page_language(
            "An order cannot go from “%(from)s” to “%(to)s”.",
            {"from": page_language(Status(from_status).label), "to": page_language(Status(to_status).label)},
        )
    ]
    assert snapshot(order) == before
    assert callbacks == []


def test_an_unknown_status_is_refused_with_a_validation_error(invoice_order, staff):
    before = snapshot(invoice_order)

    with pytest.raises(ValidationError):
        services.order_transition(order_id=invoice_order.id, to_status="refunded", actor=staff)

    assert snapshot(invoice_order) == before


def test_an_order_that_does_not_exist_is_a_404(staff):
    with pytest.raises(NotFound):
        services.order_transition(order_id=999_999, to_status=Status.CONFIRMED, actor=staff)


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_cancelling_requires_a_reason(transfer_order, staff, reason):
    before = snapshot(transfer_order)

    with refused_with("Give the reason for the cancellation."):
        services.order_transition(
            order_id=transfer_order.id,
            to_status=Status.CANCELLED,
            actor=staff,
            reason=reason,
            note="Fraude ?",
        )

    assert snapshot(transfer_order) == before


def test_cancelling_records_the_reason_and_gives_the_stock_back(transfer_order, sticker, staff):
    sticker.refresh_from_db()
    assert sticker.stock == 97

    order = services.order_transition(
        order_id=transfer_order.id,
        to_status=Status.CANCELLED,
        actor=staff,
        reason="  Virement jamais reçu ",
        note=" Relancé deux fois ",
    )

    order.refresh_from_db()
    sticker.refresh_from_db()
    assert sticker.stock == 100
    assert order.cancel_reason == "Virement jamais reçu"
    assert order.events.last().note == "Relancé deux fois"


def test_a_staff_note_alone_is_no_reason_to_cancel(transfer_order, staff):
    before = snapshot(transfer_order)

    with refused_with("Give the reason for the cancellation."):
        services.order_transition(
            order_id=transfer_order.id, to_status=Status.CANCELLED, actor=staff, note="Client pénible"
        )

    assert snapshot(transfer_order) == before


def test_cancelling_a_paid_order_gives_the_stock_back(transfer_order, sticker, staff):
    move(transfer_order, Status.PAID, Status.CANCELLED, actor=staff)

    sticker.refresh_from_db()
    assert sticker.stock == 100


def test_cancelling_an_order_never_confirmed_leaves_the_stock_alone(invoice_order, street_sign, staff):
    move(invoice_order, Status.CANCELLED, actor=staff)

    street_sign.refresh_from_db()
    assert street_sign.stock == 40


def test_cancelling_a_funded_order_gives_the_budget_back_and_the_kit_can_be_offered_again(
    resident, kit, mairie_vigilante, staff
):
    order = resident_order(resident, {kit: 2}).order
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("488.10")

    move(order, Status.CANCELLED, actor=staff)

    mairie_vigilante.refresh_from_db()
    kit.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("500.00")
    assert kit.stock == 100
    assert not FundedClaim.objects.exists()
    again = resident_order(resident, {kit: 1})
    assert again.order.lines.get().funded and again.notes == []


@pytest.mark.parametrize("tracking", ["", "   "])
def test_shipping_requires_a_tracking_number(invoice_order, staff, tracking):
    order = move(invoice_order, Status.CONFIRMED, actor=staff)
    before = snapshot(order)

    with refused_with("Give the carrier's tracking number."):
        services.order_transition(
            order_id=order.id, to_status=Status.SHIPPED, actor=staff, tracking_number=tracking
        )

    assert snapshot(order) == before


def test_shipping_records_the_tracking_number_and_issues_an_invoice(invoice_order, staff):
    order = move(invoice_order, Status.CONFIRMED, actor=staff)

    order = services.order_transition(
        order_id=order.id, to_status=Status.SHIPPED, actor=staff, tracking_number=" 6A12345678901 "
    )

    order.refresh_from_db()
    assert order.tracking_number == "6A12345678901"
    assert order.invoice.number == invoice_number(1)


def test_an_order_entirely_offered_by_the_town_hall_ships_without_an_invoice(
    resident, kit, mairie_vigilante, staff
):
    order = resident_order(resident, {kit: 1}).order

    move(order, Status.SHIPPED, Status.DELIVERED, actor=staff)

    assert not Invoice.objects.exists()


def test_invoice_numbers_follow_each_other_without_gaps_across_orders(
    mayor_office, street_sign, resident, sticker, staff
):
    orders = [town_hall_order(mayor_office, {street_sign: 1}) for _ in range(3)]
    orders.append(resident_order(resident, {sticker: 1}).order)

    move(orders[2], Status.CONFIRMED, Status.SHIPPED, actor=staff)
    move(orders[3], Status.PAID, Status.SHIPPED, actor=staff)
    move(orders[0], Status.CONFIRMED, Status.SHIPPED, actor=staff)
    move(orders[1], Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED, Status.PAID, actor=staff)

    numbers = [
        Order.objects.get(id=order.id).invoice.number
        for order in (orders[2], orders[3], orders[0], orders[1])
    ]
    assert numbers == [invoice_number(n) for n in (1, 2, 3, 4)]


def test_a_transition_that_fails_after_taking_a_number_gives_the_number_back(
    invoice_order, mayor_office, street_sign, staff
):
    order = move(invoice_order, Status.CONFIRMED, actor=staff)
    with (
        mock.patch.object(
            tasks.send_order_email, "delay_on_commit", autospec=True, side_effect=RuntimeError("broker")
        ),
        pytest.raises(RuntimeError),
    ):
        move(order, Status.SHIPPED, actor=staff)
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED and order.tracking_number == ""
    assert not Invoice.objects.exists()

    move(order, Status.SHIPPED, actor=staff)
    other = move(
        town_hall_order(mayor_office, {street_sign: 1}), Status.CONFIRMED, Status.SHIPPED, actor=staff
    )

    assert list(Invoice.objects.values_list("number", flat=True)) == [invoice_number(1), invoice_number(2)]
    assert other.invoice.number == invoice_number(2)


def test_a_refused_shipment_does_not_take_a_number(transfer_order, invoice_order, staff):
    with pytest.raises(ValidationError):
        move(transfer_order, Status.SHIPPED, actor=staff)  # not paid yet

    move(invoice_order, Status.CONFIRMED, Status.SHIPPED, actor=staff)

    assert list(Invoice.objects.values_list("number", flat=True)) == [invoice_number(1)]


def test_an_invoice_issued_on_new_years_night_in_paris_is_numbered_in_the_new_year(invoice_order, staff):
    order = move(invoice_order, Status.CONFIRMED, actor=staff)
    half_past_midnight_in_paris = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)

    with mock.patch("django.utils.timezone.now", return_value=half_past_midnight_in_paris):
        move(order, Status.SHIPPED, actor=staff)

    assert Order.objects.get(id=order.id).invoice.number == "F2027-00001"


def test_a_bank_transfer_order_cannot_ship_before_it_is_paid(transfer_order, staff):
    before = snapshot(transfer_order)

    with refused_with("This order must be paid before it is shipped."):
        move(transfer_order, Status.SHIPPED, actor=staff)

    assert snapshot(transfer_order) == before


def test_a_bank_transfer_order_ships_once_paid(transfer_order, staff):
    order = move(transfer_order, Status.PAID, Status.SHIPPED, Status.DELIVERED, actor=staff)

    assert order.status == Status.DELIVERED
    assert [e.to_status for e in order.events.all()] == [
        Status.CONFIRMED,
        Status.PAID,
        Status.SHIPPED,
        Status.DELIVERED,
    ]


@pytest.mark.parametrize("after", [Status.SHIPPED, Status.DELIVERED])
def test_an_invoice_order_can_be_paid_after_shipping(invoice_order, staff, after):
    order = move(invoice_order, *PATH_TO[after], Status.PAID, actor=staff)

    assert order.status == Status.PAID


@pytest.mark.parametrize("after", [Status.SHIPPED, Status.DELIVERED])
def test_a_bank_transfer_order_cannot_be_marked_paid_after_shipping(transfer_order, staff, after):
    order = move(
        transfer_order,
        Status.PAID,
        *([Status.SHIPPED, Status.DELIVERED][: 1 if after == Status.SHIPPED else 2]),
        actor=staff,
    )
    before = snapshot(order)

    with refused_with("Only orders on invoice are paid after shipping."):
        move(order, Status.PAID, actor=staff)

    assert snapshot(order) == before


def test_an_order_offered_by_the_town_hall_has_nothing_to_pay(resident, kit, mairie_vigilante, staff):
    order = resident_order(resident, {kit: 1}).order

    with refused_with("This order is offered by the town hall: there is nothing to pay."):
        move(order, Status.PAID, actor=staff)


@pytest.mark.parametrize("to_status", [Status.SHIPPED, Status.CANCELLED])
def test_an_invoice_order_paid_after_delivery_cannot_be_shipped_again_or_cancelled(
    invoice_order, staff, street_sign, to_status
):
    order = move(invoice_order, Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED, Status.PAID, actor=staff)
    before = snapshot(order)

    with pytest.raises(ValidationError):
        move(order, to_status, actor=staff)

    assert snapshot(order) == before
    assert services.allowed_transitions(Order.objects.get(id=order.id)) == []


def test_allowed_transitions_leave_out_what_the_payment_forbids(transfer_order, invoice_order, staff):
    assert services.allowed_transitions(transfer_order) == [Status.PAID, Status.CANCELLED]
    confirmed = move(invoice_order, Status.CONFIRMED, actor=staff)
    assert services.allowed_transitions(confirmed) == [Status.PAID, Status.SHIPPED, Status.CANCELLED]
    paid = move(transfer_order, Status.PAID, Status.SHIPPED, actor=staff)
    assert services.allowed_transitions(paid) == [Status.DELIVERED]
