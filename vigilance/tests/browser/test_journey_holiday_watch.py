"""Journey: a member going on holiday asks one neighbour and their referent to watch their
street; nobody else in the community, and nobody outside it, learns that the home is empty."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Absence
from neighbourhoods.services import absence_declare, absences_purge, membership_remove
from neighbourhoods.tests.factories import MembershipFactory

from .helpers import form_with, path_of, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def neighbours(community):
    return {
        "chosen": MembershipFactory(community=community, street="rue des Roses"),
        "not_chosen": MembershipFactory(community=community, street="rue des Lilas"),
    }


def absence_cards(page, absence_id) -> int:
    page.goto(reverse("neighbourhoods:watch"))
    return page.locator(f"main [data-absence='{absence_id}']").count()


def test_a_member_away_is_watched_only_by_the_neighbour_and_referent_they_chose(
    new_page, community, resident, neighbours, referent, outsider
):
    chosen, not_chosen = neighbours["chosen"], neighbours["not_chosen"]
    today = timezone.localdate()
    starts_on, ends_on = today + timedelta(days=3), today + timedelta(days=17)

    page = new_page(user=resident)
    page.goto(reverse("neighbourhoods:watch"))
    declare_url = reverse("neighbourhoods:absence_declare", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{declare_url}']")
    assert unlabelled_fields(page) == []
    offered = page.locator("input[name=neighbour_ids]").evaluate_all("els => els.map(e => e.value)")
    assert sorted(offered) == sorted([str(chosen.id), str(not_chosen.id)])  # members, not oneself
    page.fill("input[name=starts_on]", starts_on.isoformat())
    page.fill("input[name=ends_on]", ends_on.isoformat())
    page.fill("input[name=note]", "Une voisine arrose le jardin le samedi.")
    page.check(f"input[name=neighbour_ids][value='{chosen.id}']")
    assert page.locator("input[name=share_with_referent]").is_checked()  # on by default, left on
    snapshot(page, "holiday-watch-form-mobile")
    submit(page, form_with(page, "input[name=starts_on]"), "button[name=declare]")
    assert path_of(page) == reverse("neighbourhoods:watch")

    absence = Absence.objects.get(user=resident)
    assert (absence.community, absence.starts_on, absence.ends_on) == (community, starts_on, ends_on)
    assert absence.share_with_referent
    assert list(absence.shared_with.all()) == [chosen.user]
    delete_url = reverse("neighbourhoods:absence_delete", args=[absence.id])
    delete_button = page.locator(f"main form[action='{delete_url}'] [type=submit]")
    # a button styled as a link, once white on the white page
    assert delete_button.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    snapshot(page, "holiday-watch-own-mobile")

    watchers = {
        name: new_page(user=person)
        for name, person in [
            ("chosen", chosen.user),
            ("not_chosen", not_chosen.user),
            ("referent", referent),
            ("outsider", outsider),
        ]
    }
    assert absence_cards(watchers["chosen"], absence.id) == 1
    card = watchers["chosen"].locator(f"main [data-absence='{absence.id}']").inner_text()
    assert resident.get_full_name() in card and "Une voisine arrose le jardin le samedi." in card
    snapshot(watchers["chosen"], "holiday-watch-neighbour-mobile")
    assert absence_cards(watchers["referent"], absence.id) == 1
    assert absence_cards(watchers["not_chosen"], absence.id) == 0
    assert absence_cards(watchers["outsider"], absence.id) == 0
    for name in ("not_chosen", "outsider"):
        assert resident.get_full_name() not in watchers[name].locator("main").inner_text(), name

    page.goto(reverse("neighbourhoods:watch"))
    with page.expect_navigation():
        delete_button.click()
    assert path_of(page) == reverse("neighbourhoods:watch")
    assert not Absence.objects.filter(id=absence.id).exists()
    assert page.locator(f"main form[action='{delete_url}']").count() == 0
    assert absence_cards(watchers["chosen"], absence.id) == 0
    assert absence_cards(watchers["referent"], absence.id) == 0


def test_an_absence_is_deleted_a_week_after_the_return(community, resident):
    today = timezone.localdate()
    ended_long_ago = Absence.objects.create(
        user=resident,
        community=community,
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=8),
    )
    ended_last_week = Absence.objects.create(
        user=resident,
        community=community,
        starts_on=today - timedelta(days=20),
        ends_on=today - timedelta(days=7),
    )
    coming = Absence.objects.create(
        user=resident,
        community=community,
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=10),
    )

    assert absences_purge(now=timezone.now()) == 1
    assert set(Absence.objects.values_list("id", flat=True)) == {ended_last_week.id, coming.id}
    assert not Absence.objects.filter(id=ended_long_ago.id).exists()

    assert absences_purge(now=timezone.now() + timedelta(days=17)) == 1  # the coming one is kept until then
    assert list(Absence.objects.values_list("id", flat=True)) == [coming.id]
    assert absences_purge(now=timezone.now() + timedelta(days=18)) == 1
    assert not Absence.objects.exists()


def test_a_neighbour_removed_from_the_community_no_longer_sees_the_absence(
    new_page, community, resident, neighbours, referent
):
    chosen = neighbours["chosen"]
    today = timezone.localdate()
    absence = absence_declare(
        user=resident,
        community_id=community.id,
        starts_on=today,
        ends_on=today + timedelta(days=10),
        neighbour_ids=[chosen.user_id],
    )
    neighbour = new_page(user=chosen.user)
    assert absence_cards(neighbour, absence.id) == 1
    membership_remove(
        referent=referent, membership_id=chosen.id, reason="A diffusé l'annuaire hors du quartier."
    )
    assert absence_cards(neighbour, absence.id) == 0
