"""Journey 2: a resident finds their commune, declares they live there and asks to join."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from neighbourhoods.models import Membership
from neighbourhoods.selectors import residence_commune
from neighbourhoods.tests.factories import CommuneFactory, PostcodeFactory

from .helpers import form_with, path_of, submit, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def commune(community):
    """Saint-Sébastien-sur-Loire (44230), beside a commune whose name is close but not the same."""
    commune = community.neighbourhood.commune
    PostcodeFactory(commune=commune, code="44230")
    CommuneFactory(name="Saint-Sébastien-de-Morsent", department_code="27")
    CommuneFactory(name="Nantes", insee_code="44109")
    return commune


@pytest.fixture
def newcomer(commune):
    """Someone who has signed up but has not said where they live."""
    return UserFactory()


def search_commune(page, query):
    page.goto(reverse("neighbourhoods:commune_search"))
    assert unlabelled_fields(page) == []
    page.fill("input[name=q]", query)
    submit(page, form_with(page, "input[name=q]"))
    return page.locator("main ul.results a")


def ask_to_join(page, community, street):
    page.goto(reverse("neighbourhoods:community", args=[community.id]))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('neighbourhoods:community_join', args=[community.id])}']")
    fill_street_and_send(page, street)


def fill_street_and_send(page, street):
    page.fill("input[name=street]", street)
    submit(page, form_with(page, "input[name=street]"))


def test_resident_finds_commune_declares_it_and_asks_to_join(new_page, commune, community, newcomer):
    page = new_page(user=newcomer)
    commune_url = reverse("neighbourhoods:commune", args=[commune.insee_code])

    by_postcode = search_commune(page, "44230")
    assert [by_postcode.nth(i).get_attribute("href") for i in range(by_postcode.count())] == [commune_url]
    by_name = search_commune(page, "saint sebastien")
    assert by_name.filter(has_text="Saint-Sébastien-sur-Loire").count() == 1
    assert by_name.filter(has_text="Saint-Sébastien-de-Morsent").count() == 1
    assert by_name.filter(has_text="Nantes").count() == 0

    with page.expect_navigation():
        by_name.and_(page.locator(f"[href='{commune_url}']")).click()
    declare_url = reverse("neighbourhoods:commune_declare", args=[commune.insee_code])
    submit(page, page.locator(f"form[action='{declare_url}']"))
    assert residence_commune(newcomer) == commune

    with page.expect_navigation():
        page.click(f"main a[href='{reverse('neighbourhoods:community', args=[community.id])}']")
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('neighbourhoods:community_join', args=[community.id])}']")
    assert unlabelled_fields(page) == []
    fill_street_and_send(page, "rue des Lilas")

    assert path_of(page) == reverse("neighbourhoods:my_communities")
    membership = Membership.objects.get(user=newcomer, community=community)
    assert (membership.status, membership.street) == (Membership.Status.PENDING, "rue des Lilas")
    card = page.locator("main li.card", has_text=community.name)
    assert card.locator(".badge-pending").is_visible()
    assert "rue des Lilas" in card.inner_text()


def test_second_request_for_the_same_community_is_refused(new_page, community, resident, pending_resident):
    page = new_page(user=pending_resident)
    page.goto(reverse("neighbourhoods:community_join", args=[community.id]))
    fill_street_and_send(page, "rue des Roses")

    assert path_of(page) == reverse("neighbourhoods:community_join", args=[community.id])
    assert page.locator("main .errorlist").is_visible()
    assert Membership.objects.filter(user=pending_resident, community=community).count() == 1


def test_street_with_a_house_number_is_refused(new_page, community, newcomer):
    newcomer.commune = community.neighbourhood.commune
    newcomer.save()
    page = new_page(user=newcomer)
    ask_to_join(page, community, "12 rue des Lilas")

    assert path_of(page) == reverse("neighbourhoods:community_join", args=[community.id])
    assert page.locator("#id_street[aria-invalid=true]").is_visible()
    assert page.locator("main .errorlist").is_visible()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_community_of_another_commune_is_refused(new_page, community, other_community, resident):
    page = new_page(user=resident)
    ask_to_join(page, other_community, "rue des Lilas")

    assert path_of(page) == reverse("neighbourhoods:community_join", args=[other_community.id])
    assert page.locator("main .errorlist").is_visible()
    assert not Membership.objects.filter(user=resident, community=other_community).exists()
