"""Two people at the same moment, each in their own transaction on their own connection.

Row locks decide who gets the last units, the last euros of a Mairie Vigilante budget and the
next invoice number. SQLite has no row locks (it locks the whole file), so these tests need
PostgreSQL, which CI uses.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from neighbourhoods.tests.factories import MembershipFactory
from shop.models import FundedClaim, Invoice, InvoiceCounter, Order, Product, SignageProgramme

from .helpers import move, page_language, resident_order, town_hall_order

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no SELECT ... FOR UPDATE row locks (CI runs them on PostgreSQL)",
    ),
]

Status = Order.Status
HOLD = 0.3  # seconds the first to get the lock keeps its transaction open


def at_the_same_moment(*actions):
    """Runs each action in its own thread and transaction, all started together.

    Each thread opens its transaction, waits at a barrier for the others to have opened theirs,
    acts, then holds its transaction open a moment before committing: whoever is second must
    meet the first one's locks, not its committed result. Returns (results, errors) by action.
    """
    barrier = threading.Barrier(len(actions))
    results, errors = [None] * len(actions), [None] * len(actions)

    def run(index, action):
        try:
            with transaction.atomic():
                connection.cursor().execute("SELECT 1")  # the transaction has begun
                barrier.wait(timeout=10)
                results[index] = action()
                time.sleep(HOLD)
        except Exception as error:  # noqa: BLE001 - handed back to the test
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a transaction never finished: deadlock?"
    return results, errors


@pytest.fixture
def neighbours(community):
    return [MembershipFactory(community=community).user for _ in range(2)]


def test_two_members_ordering_the_last_units_at_once_cannot_both_get_them(neighbours, sticker):
    Product.objects.filter(id=sticker.id).update(stock=2)

    results, errors = at_the_same_moment(
        *[lambda who=who: resident_order(who, {sticker: 2}) for who in neighbours]
    )

    assert sum(result is not None for result in results) == 1
    refused = [error for error in errors if error is not None]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert refused[0].messages == [
        page_language("Not enough %(name)s in stock (%(left)d left).", name=sticker.name, left=0)
    ]
    sticker.refresh_from_db()
    assert sticker.stock == 0
    assert Order.objects.count() == 1


def test_two_members_ordering_the_very_last_unit_at_once(neighbours, sticker):
    Product.objects.filter(id=sticker.id).update(stock=1)

    results, errors = at_the_same_moment(
        *[lambda who=who: resident_order(who, {sticker: 1}) for who in neighbours]
    )

    assert sorted(type(e).__name__ for e in errors if e) == ["ValidationError"]
    sticker.refresh_from_db()
    assert sticker.stock == 0


def test_two_staff_confirming_town_hall_orders_for_the_last_signs_cannot_both_take_them(
    mayor_office, street_sign, staff
):
    Product.objects.filter(id=street_sign.id).update(stock=4)
    orders = [town_hall_order(mayor_office, {street_sign: 3}) for _ in range(2)]

    results, errors = at_the_same_moment(
        *[lambda o=o: move(o, Status.CONFIRMED, actor=staff) for o in orders]
    )

    assert sorted(type(e).__name__ for e in errors if e) == ["ValidationError"]
    street_sign.refresh_from_db()
    assert street_sign.stock == 1
    assert sorted(Order.objects.values_list("status", flat=True)) == [Status.CONFIRMED, Status.PENDING]


def test_a_budget_for_one_kit_funds_only_one_of_two_members_ordering_at_once(
    neighbours, kit, mairie_vigilante
):
    SignageProgramme.objects.filter(id=mairie_vigilante.id).update(budget_remaining=Decimal("11.90"))

    results, errors = at_the_same_moment(
        *[lambda who=who: resident_order(who, {kit: 1}) for who in neighbours]
    )

    assert errors == [None, None]
    funded = [r for r in results if r.order.total_incl_vat == Decimal("0.00")]
    charged = [r for r in results if r.order.total_incl_vat == Decimal("11.90")]
    assert len(funded) == 1 and len(charged) == 1
    assert funded[0].notes == []
    assert charged[0].notes == [
        page_language("The town hall's signage budget is used up: %(name)s is charged.", name=kit.name)
    ]
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("0.00")
    assert FundedClaim.objects.count() == 1


def test_one_member_ordering_twice_at_once_gets_one_funded_kit(resident, kit, mairie_vigilante):
    results, errors = at_the_same_moment(
        lambda: resident_order(resident, {kit: 1}), lambda: resident_order(resident, {kit: 1})
    )

    assert errors == [None, None]
    assert sorted(r.order.total_incl_vat for r in results) == [Decimal("0.00"), Decimal("11.90")]
    mairie_vigilante.refresh_from_db()
    assert mairie_vigilante.budget_remaining == Decimal("488.10")


@pytest.mark.parametrize("last_number", [None, 41], ids=["first-invoice-of-the-year", "counter-exists"])
def test_two_staff_shipping_at_once_get_consecutive_distinct_invoice_numbers(
    mayor_office, street_sign, staff, last_number
):
    from django.utils import timezone

    year = timezone.localdate().year
    if last_number is not None:
        InvoiceCounter.objects.create(year=year, last_number=last_number)
    orders = [
        move(town_hall_order(mayor_office, {street_sign: 1}), Status.CONFIRMED, actor=staff) for _ in range(2)
    ]

    results, errors = at_the_same_moment(*[lambda o=o: move(o, Status.SHIPPED, actor=staff) for o in orders])

    assert errors == [None, None]
    start = (last_number or 0) + 1
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"F{year}-{n:05d}" for n in (start, start + 1)
    ]
    assert InvoiceCounter.objects.get(year=year).last_number == start + 1
