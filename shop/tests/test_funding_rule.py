"""One funding rule: what the catalogue shows as offered by the town hall is exactly what an
order then charges to its budget, in every situation the rule knows."""

from decimal import Decimal

import pytest

from shop import selectors
from shop.models import FundedClaim, OrderLine

from .helpers import resident_order

pytestmark = pytest.mark.django_db

SITUATIONS = {
    "offered": lambda programme, kit, resident: None,
    "budget of exactly one kit": lambda programme, kit, resident: _set_budget(programme, Decimal("11.90")),
    "budget one cent short": lambda programme, kit, resident: _set_budget(programme, Decimal("11.89")),
    "already received": lambda programme, kit, resident: resident_order(resident, {kit: 1}),
    "not funded": lambda programme, kit, resident: programme.funded_products.clear(),
    "no longer Mairie Vigilante": lambda programme, kit, resident: _stop(programme),
}


def _set_budget(programme, amount):
    programme.budget_remaining = amount
    programme.save()


def _stop(programme):
    programme.is_mairie_vigilante = False
    programme.save()


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_catalogue_offers_exactly_what_the_order_funds(situation, resident, kit, mairie_vigilante):
    SITUATIONS[situation](mairie_vigilante, kit, resident)
    shown_as_offered = kit.id in selectors.offered_product_ids(resident)
    claims_before = FundedClaim.objects.filter(user=resident).count()

    order = resident_order(resident, {kit: 1}).order

    funded = OrderLine.objects.filter(order=order, funded=True).exists()
    assert funded == shown_as_offered
    assert FundedClaim.objects.filter(user=resident).count() == claims_before + int(funded)
    assert situation != "offered" or funded
    assert situation != "budget one cent short" or not funded
