"""Journey: a mayor's office follows the scheme's figures for its commune, and only its own,
without ever seeing a resident's name or email."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from alerts.models import Alert, Delivery
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, NeighbourhoodFactory
from shop.models import Order
from shop.tests.factories import KitFactory, StreetSignFactory
from shop.tests.helpers import ADDRESS, move, resident_order, town_hall_order

from .helpers import log_in, open_menu, path_of, snapshot

pytestmark = pytest.mark.browser

Status = Delivery.Status


def named_member(community, first_name, last_name, **fields):
    email = f"{first_name}.{last_name}@example.org".lower()
    return MembershipFactory(
        community=community,
        user__first_name=first_name,
        user__last_name=last_name,
        user__email=email,
        **fields,
    ).user


@pytest.fixture
def commune_activity(community, other_community, resident, pending_resident, referent, mayor_office):
    """A commune with two neighbourhoods without a referent, four members in two communities,
    alerts over two months with their deliveries, and signage orders; and another commune."""
    commune = community.neighbourhood.commune
    douet = NeighbourhoodFactory(commune=commune, name="Le Douet")
    NeighbourhoodFactory(commune=commune, name="La Profondine")
    douet_community = CommunityFactory(neighbourhood=douet, name="Rue du Douet")
    people = [
        resident,
        pending_resident,
        referent,
        named_member(community, "Apolline", "Quéméneur"),
        named_member(community, "Gaspard", "Le Floch"),
        named_member(douet_community, "Honorine", "Trégouët"),
        named_member(community, "Ysaline", "Kerhervé", status=Membership.Status.REJECTED),
    ]
    author = people[3]

    now = timezone.now()
    this_month = AlertFactory(commune=commune, communities=[community], author=author, published_at=now)
    AlertFactory(
        commune=commune,
        communities=[community],
        author=author,
        status=Alert.Status.WITHDRAWN,
        published_at=now - timedelta(days=40),
    )
    AlertFactory(
        commune=commune,
        communities=[community],
        author=author,
        status=Alert.Status.PENDING,
        published_at=None,
    )
    AlertFactory(communities=[other_community])  # another commune's

    # SMS: 3 of 4 handed off to the provider, 1 failed; email: 2 of 2 delivered.
    for channel, status in [
        ("sms", Status.DELIVERED),
        ("sms", Status.DELIVERED),
        ("sms", Status.SENT),
        ("sms", Status.FAILED),
        ("email", Status.DELIVERED),
        ("email", Status.DELIVERED),
    ]:
        people.append(DeliveryFactory(alert=this_month, channel=channel, status=status).recipient)
    DeliveryFactory(  # withdrawal notices are not alerts: not counted
        alert=this_month,
        recipient=people[-1],
        channel="sms",
        status=Status.FAILED,
        purpose=Delivery.Purpose.WITHDRAWAL,
    )

    sign, kit = StreetSignFactory(), KitFactory()
    town_hall_order(mayor_office, {sign: 5})
    move(town_hall_order(mayor_office, {sign: 7}), Order.Status.CANCELLED, actor=mayor_office)  # not counted
    resident_order(people[3], {kit: 2})
    return {
        "people": people,
        "sign": sign,
        "kit": kit,
        "other_commune": other_community.neighbourhood.commune,
    }


def figure(page, name: str) -> str:
    """A figure as shown, with French decimal commas and non-breaking spaces made plain."""
    text = page.locator(f"[data-figure='{name}']").inner_text()
    return text.replace("\u00a0", " ").replace(",", ".").strip()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def private_data(people) -> list[str]:
    return [p.get_full_name() for p in people] + [p.email for p in people] + [ADDRESS["delivery_name"]]


def test_a_town_hall_follows_its_figures_and_downloads_them_without_any_personal_data(
    new_page, community, mayor_office, commune_activity, resident, referent
):
    commune = community.neighbourhood.commune
    dashboard_url = reverse("commune_dashboard", args=[commune.insee_code])
    csv_url = reverse("commune_dashboard_csv", args=[commune.insee_code])
    page = new_page()
    log_in(page, mayor_office.email)
    open_menu(page)
    with page.expect_navigation():
        page.click(f"header a[href='{reverse('my_commune_dashboard')}']")
    assert path_of(page) == dashboard_url
    snapshot(page, "townhall-dashboard-mobile")
    assert no_sideways_scroll(page)

    assert figure(page, "members") == "4"  # approved only: not the pending or rejected ones
    assert figure(page, "communities") == "2"
    assert figure(page, "alerts") == "2"  # published or withdrawn since; the pending one is not
    without_referent = figure(page, "without-referent")
    assert "Le Douet" in without_referent and "La Profondine" in without_referent
    assert community.neighbourhood.name not in without_referent
    assert page.locator("ul[aria-labelledby=alerts-title] svg.bar").count() == 2  # this month and last
    assert figure(page, "success-sms").startswith("75.0")
    assert figure(page, "success-email").startswith("100.0")
    signage = page.locator("table[aria-labelledby=signage-title] tbody tr").all_inner_texts()
    assert sorted(" ".join(row.split()) for row in signage) == sorted(
        [f"{commune_activity['sign'].name} 5", f"{commune_activity['kit'].name} 2"]
    )

    shown = page.content() + page.locator("body").inner_text()
    for private in private_data(commune_activity["people"]):
        assert private not in shown, private

    with page.expect_download() as download_info:
        page.click(f"main a[href='{csv_url}']")
    download = download_info.value
    assert download.suggested_filename == f"vigilance-{slugify(commune.name)}-{commune.insee_code}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # as French spreadsheets read it
    assert rows[0] == ["rubrique", "libellé", "détail", "valeur"]
    for row in [
        ["quartier", "Le Douet", "membres", "1"],
        ["quartier", "Le Douet", "référents", "0"],
        ["quartier", community.neighbourhood.name, "membres", "3"],
        ["quartier", community.neighbourhood.name, "demandes en attente", "1"],
        ["messages", "SMS", "remis à l'opérateur %", "75,0"],
        ["messages", "SMS", "reçus % (des issues connues)", "66,7"],
        ["messages", "SMS", "en échec", "1"],
        ["signalétique", commune_activity["sign"].name, commune_activity["sign"].sku, "5"],
    ]:
        assert row in rows, row
    assert sum(int(r[3]) for r in rows if r[0] == "alertes") == 2
    for private in private_data(commune_activity["people"]):
        assert private not in text, private

    other_insee = commune_activity["other_commune"].insee_code
    assert page.goto(reverse("commune_dashboard", args=[other_insee])).status == 404
    assert page.goto(reverse("commune_dashboard_csv", args=[other_insee])).status == 404

    for person in (resident, referent):
        visitor = new_page(user=person)
        assert visitor.goto(dashboard_url).status == 404
        assert visitor.goto(csv_url).status == 404
        assert visitor.goto(reverse("my_commune_dashboard")).status == 404
        assert visitor.locator(f"header a[href='{reverse('my_commune_dashboard')}']").count() == 0


def test_a_resident_member_of_two_communities_counts_once_among_the_members(
    new_page, community, resident, mayor_office
):
    second = CommunityFactory(neighbourhood=community.neighbourhood, name="Rue des Roses")
    MembershipFactory(community=second, user=resident)
    page = new_page(user=mayor_office)
    page.goto(reverse("commune_dashboard", args=[community.neighbourhood.commune.insee_code]))
    assert figure(page, "communities") == "2"
    assert figure(page, "members") == "1"
