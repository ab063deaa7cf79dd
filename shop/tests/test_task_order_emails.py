"""The buyer is emailed at each step of their order, by a task queued when the change commits."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import formats, translation

from shop import services, tasks
from shop.models import Order

from .helpers import move, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

Status = Order.Status


def money(amount: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return formats.localize(Decimal(amount))


def label(status) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(Status(status).label)


@pytest.fixture
def emails(run_tasks, django_capture_on_commit_callbacks):
    """Runs one step, its on-commit work and its task; returns the emails that step sent."""

    def step(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, list(mail.outbox)

    return step


def test_placing_an_order_sends_the_buyer_one_email_with_the_transfer_instructions(emails, resident, sticker):
    placed, sent = emails(lambda: resident_order(resident, {sticker: 2}))

    assert len(sent) == 1
    message = sent[0]
    order = placed.order
    assert message.to == [resident.email]
    assert order.reference in message.subject and label(Status.CONFIRMED) in message.subject
    assert order.reference in message.body
    assert f"{money('7.80')} €" in message.body  # the amount to transfer
    assert f"/shop/orders/{order.reference}/" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html" and order.reference in html[0]


def test_each_step_of_a_resident_order_sends_exactly_one_email(emails, resident, sticker, staff):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))
    order = placed.order

    for status in (Status.PAID, Status.SHIPPED, Status.DELIVERED):
        _, sent = emails(lambda status=status: move(order, status, actor=staff))
        assert len(sent) == 1, status
        assert sent[0].to == [resident.email]
        assert label(status) in sent[0].subject and order.reference in sent[0].subject
        if status == Status.SHIPPED:
            assert "6A12345678901" in sent[0].body


def test_a_cancellation_email_gives_the_reason(emails, resident, sticker, staff):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))

    _, sent = emails(lambda: move(placed.order, Status.CANCELLED, actor=staff))

    assert len(sent) == 1
    assert label(Status.CANCELLED) in sent[0].subject
    assert "Demande du client" in sent[0].body


def test_the_mayors_office_is_emailed_when_it_orders_and_at_each_step(
    emails, mayor_office, street_sign, staff
):
    order, sent = emails(lambda: town_hall_order(mayor_office, {street_sign: 1}))
    assert [m.to for m in sent] == [[mayor_office.email]]
    assert label(Status.PENDING) in sent[0].subject

    for status in (Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED, Status.PAID):
        _, sent = emails(lambda status=status: move(order, status, actor=staff))
        assert [m.to for m in sent] == [[mayor_office.email]], status
        assert label(status) in sent[0].subject


def test_a_refused_transition_sends_nothing(emails, resident, sticker, staff):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))

    def ship_unpaid():
        with pytest.raises(ValidationError):
            move(placed.order, Status.SHIPPED, actor=staff)

    _, sent = emails(ship_unpaid)

    assert sent == []


def test_the_email_task_is_queued_on_commit_not_sent_inside_the_transaction(
    resident, sticker, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.send_order_email, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = resident_order(resident, {sticker: 1}).order

    assert len(callbacks) == 1
    assert queued == [] and mail.outbox == []
    callbacks[0]()
    assert queued == [(order.id, Status.CONFIRMED)]


def test_the_task_takes_only_ids_and_a_status_as_json_would(emails, resident, sticker):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))
    mail.outbox.clear()

    tasks.send_order_email.apply(args=[placed.order.id, "confirmed"]).get()

    assert len(mail.outbox) == 1


def test_the_task_does_nothing_for_an_order_whose_buyer_has_left(emails, resident, sticker):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))
    Order.objects.filter(id=placed.order.id).update(buyer=None)
    mail.outbox.clear()

    tasks.send_order_email.apply(args=[placed.order.id, "confirmed"]).get()
    tasks.send_order_email.apply(args=[999_999, "confirmed"]).get()

    assert mail.outbox == []


def test_two_door_stickers_at_4_90_cost_9_80_in_the_email(emails, resident, door_sticker):
    placed, sent = emails(lambda: resident_order(resident, {door_sticker: 2}))

    text, html = sent[0].body, sent[0].alternatives[0][0]
    assert placed.order.total_incl_vat == Decimal("9.80")
    for body in (text, html):
        assert money("4.90") in body and money("9.80") in body
        assert money("9.79") not in body and money("4.08") not in body  # no price excl. VAT
    assert f"2 × {money('4.90')} € = {money('9.80')} €" in text


def test_a_residents_email_quotes_prices_incl_vat(resident, door_sticker, run_tasks, settings):
    order = resident_order(resident, {door_sticker: 2}).order
    mail.outbox.clear()
    settings.LANGUAGE_CODE = "en"  # emails are written in the site's language

    tasks.send_order_email.apply(args=[order.id, Status.CONFIRMED]).get()

    text, html = mail.outbox[0].body, mail.outbox[0].alternatives[0][0]
    assert "Your order (prices incl. VAT)" in text and "Total incl. VAT: 9.80 €" in text
    assert "Including VAT at 20\u00a0%: 1.63 €" in text
    assert "Unit price incl. VAT" in html
    assert "excl. VAT" not in text and "excl. VAT" not in html


def test_a_town_hall_email_gives_prices_excl_vat_and_the_vat(emails, mayor_office, street_sign):
    _, sent = emails(lambda: town_hall_order(mayor_office, {street_sign: 2}))

    text = sent[0].body
    assert f"2 × {money('41.58')} € = {money('83.16')} €" in text
    assert money("16.63") in text  # VAT: 16.632
    assert money("99.79") in text  # total incl. VAT


def test_staff_notes_never_reach_the_buyer(emails, resident, sticker, staff):
    placed, _ = emails(lambda: resident_order(resident, {sticker: 1}))
    order = placed.order

    _, paid = emails(
        lambda: services.order_transition(
            order_id=order.id, to_status=Status.PAID, actor=staff, note="Client pénible"
        )
    )
    _, cancelled = emails(
        lambda: services.order_transition(
            order_id=order.id,
            to_status=Status.CANCELLED,
            actor=staff,
            reason="Rupture de stock",
            note="Fournisseur en retard",
        )
    )

    for message in paid + cancelled:
        for body in (message.body, message.alternatives[0][0], message.subject):
            assert "pénible" not in body and "Fournisseur" not in body
    assert "Rupture de stock" in cancelled[0].body
