"""The directory of a large community: 50 members a page, by name, and a search box."""

import pytest
from django.db import connection
from django.urls import reverse

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

from .bulk import bulk_members

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="accents are ignored on PostgreSQL only (unaccent)"
)


def url(community):
    return reverse("neighbourhoods:directory", args=[community.id])


def names(response):
    return [m.user.last_name for m in response.context["members"]]


@pytest.fixture
def big_community(community, resident):
    """120 members besides `resident`, whose last name sorts after theirs."""
    resident.last_name = "Zola"
    resident.save()
    return bulk_members(community, 119, prefix="Membre")


def test_the_directory_shows_50_members_a_page_in_name_order(client, community, resident, big_community):
    client.force_login(resident)

    first, third = client.get(url(community)), client.get(url(community), {"page": 3})

    assert names(first) == [f"Membre {n:03d}" for n in range(50)]
    assert names(third) == [f"Membre {n:03d}" for n in range(100, 119)] + ["Zola"]
    assert first.context["members"].count == 120
    html = first.content.decode()
    assert "Membre 049" in html and "Membre 050" not in html
    assert 'href="?page=2"' in html
    assert "120" in html  # "120 members"


def test_the_last_page_has_no_next_link_and_the_first_no_previous(client, community, resident, big_community):
    client.force_login(resident)

    first = client.get(url(community)).content.decode()
    last = client.get(url(community), {"page": 3}).content.decode()

    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'href="?page=2"' in last and 'rel="prev"' in last


def test_a_small_directory_has_no_page_links(client, community, resident):
    client.force_login(resident)

    html = client.get(url(community)).content.decode()

    assert 'class="pagination"' not in html


@pytest.mark.parametrize("page", ["abc", "0", "-3", "", "1.5", "%00"])
def test_a_page_that_is_not_a_positive_number_is_the_first(client, community, resident, big_community, page):
    client.force_login(resident)

    response = client.get(url(community), {"page": page})

    assert response.status_code == 200
    assert names(response)[0] == "Membre 000"


@pytest.mark.parametrize("page", ["4", "99999", "999999999999999999999999"])
def test_a_page_past_the_end_is_404_never_an_error(client, community, resident, big_community, page):
    client.force_login(resident)

    assert client.get(url(community), {"page": page}).status_code == 404


def test_search_matches_every_word_in_first_name_last_name_or_street(client, community, resident):
    helene = MembershipFactory(
        community=community, user__first_name="Hélène", user__last_name="Durand", street="rue des Lilas"
    )
    MembershipFactory(
        community=community, user__first_name="Hélène", user__last_name="Martin", street="rue Nantes"
    )
    MembershipFactory(
        community=community, user__first_name="Paul", user__last_name="Durand", street="rue Nantes"
    )
    client.force_login(resident)

    response = client.get(url(community), {"q": "  Hélène   DURAND "})

    assert [m.id for m in response.context["members"]] == [helene.id]
    html = response.content.decode()
    assert "1 result for “Hélène DURAND”" in html or "1 résultat" in html


def test_search_finds_by_street(client, community, resident):
    roses = MembershipFactory(community=community, street="allée des Roses", user__last_name="Bernard")
    client.force_login(resident)

    response = client.get(url(community), {"q": "roses"})

    assert [m.id for m in response.context["members"]] == [roses.id]


@postgresql_only
def test_search_ignores_accents_both_ways(client, community, resident):
    helene = MembershipFactory(
        community=community, user__first_name="Hélène", user__last_name="Lefèvre", street="rue de l'Église"
    )
    client.force_login(resident)

    for query in ("helene", "lefevre", "eglise", "HELENE LEFEVRE"):
        response = client.get(url(community), {"q": query})
        assert [m.id for m in response.context["members"]] == [helene.id], query
    resident.last_name = "Noel"
    resident.save()
    assert [m.user for m in client.get(url(community), {"q": "noël"}).context["members"]] == [resident]


def test_search_treats_like_wildcards_as_text(client, community, resident):
    client.force_login(resident)

    for query in ("%", "_", "\\"):
        assert list(client.get(url(community), {"q": query}).context["members"]) == [], query


def test_search_never_shows_members_of_other_communities_or_pending_ones(
    client, community, resident, other_community
):
    MembershipFactory(community=other_community, user__last_name="Lointain")
    MembershipFactory(community=community, user__last_name="Lointaine", status=Membership.Status.PENDING)
    client.force_login(resident)

    response = client.get(url(community), {"q": "lointain"})

    assert list(response.context["members"]) == []
    assert "Lointain" not in response.content.decode().replace("“lointain”", "")


def test_no_result_says_so(client, community, resident):
    client.force_login(resident)

    response = client.get(url(community), {"q": "Personne"})

    html = response.content.decode()
    assert response.context["members"].count == 0
    assert 'class="notice"' in html and "Aucun membre ne correspond à «\u00a0Personne\u00a0»" in html


def test_search_results_are_paginated_and_the_next_link_keeps_the_query(
    client, community, resident, big_community
):
    bulk_members(community, 60, prefix="Dupré & fils", street="rue d'Anjou")
    client.force_login(resident)

    first = client.get(url(community), {"q": "dupré & fils"})
    second = client.get(url(community), {"q": "dupré & fils", "page": "2"})

    assert first.context["members"].count == 60
    assert len(names(first)) == 50 and len(names(second)) == 10
    assert names(second)[0] == "Dupré & fils 050"
    assert 'href="?q=dupr%C3%A9+%26+fils&amp;page=2"' in first.content.decode()
    previous = 'href="?q=dupr%C3%A9+%26+fils"'
    assert previous in second.content.decode()


def test_the_search_box_shows_the_query_escaped(client, community, resident):
    client.force_login(resident)

    html = client.get(url(community), {"q": '"><script>x</script>'}).content.decode()

    assert "<script>x" not in html
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


@pytest.mark.parametrize("who", ["pending_resident", "outsider"])
def test_non_members_get_404_also_with_a_search_or_a_page(client, community, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(community), {"q": "a", "page": "2"}).status_code == 404
