"""The absence form in a community of thousands: 50 neighbours listed at most, a search to
find the others, and the ones already checked kept through a search."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Absence
from neighbourhoods.tests.factories import MembershipFactory

from .bulk import bulk_members

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)
DATES = {"starts_on": TOMORROW.isoformat(), "ends_on": (TOMORROW + timedelta(days=7)).isoformat()}


def url(community):
    return reverse("neighbourhoods:absence_declare", args=[community.id])


def offered(response):
    return {m.id for m in response.context["form"].fields["neighbour_ids"].queryset}


@pytest.fixture
def crowd(community):
    return bulk_members(community, 120, prefix="Voisin")


def test_at_most_50_neighbours_are_offered_with_a_hint_to_search(client, community, resident, crowd):
    client.force_login(resident)

    response = client.get(url(community))

    assert offered(response) == {m.id for m in crowd[:50]}
    assert response.context["more"] is True
    assert response.content.decode().count('name="neighbour_ids"') == 50


def test_finding_narrows_the_list_keeps_what_was_typed_and_checked_and_declares_nothing(
    client, community, resident, crowd
):
    helene = MembershipFactory(community=community, user__first_name="Hélène", user__last_name="Garnier")
    kept = crowd[100]
    client.force_login(resident)

    response = client.post(
        url(community),
        {**DATES, "note": "Arrosage le samedi", "q": "helene", "find": "1", "neighbour_ids": [str(kept.id)]},
    )

    assert response.status_code == 200
    assert not Absence.objects.exists()
    assert offered(response) == {helene.id, kept.id}
    html = response.content.decode()
    boxes = dict(re.findall(r'<input type="checkbox" name="neighbour_ids" value="(\d+)"([^>]*)>', html))
    assert set(boxes) == {str(helene.id), str(kept.id)}
    assert "checked" in boxes[str(kept.id)] and "checked" not in boxes[str(helene.id)]
    assert 'value="Arrosage le samedi"' in html and f'value="{DATES["starts_on"]}"' in html
    assert not response.context["form"].errors


def test_a_neighbour_found_by_search_can_be_chosen(client, community, resident, crowd):
    far_down = crowd[110]
    client.force_login(resident)

    response = client.post(
        url(community), {**DATES, "share_with_referent": "on", "neighbour_ids": [str(far_down.id)]}
    )

    assert response.status_code == 302
    assert list(Absence.objects.get().shared_with.all()) == [far_down.user]


def test_a_member_of_another_community_cannot_be_slipped_in(client, community, resident, outsider, crowd):
    client.force_login(resident)

    response = client.post(url(community), {**DATES, "neighbour_ids": [str(outsider.memberships.get().id)]})

    assert response.status_code == 200
    assert "neighbour_ids" in response.context["form"].errors
    assert not Absence.objects.exists()


def test_the_absent_member_is_never_offered_to_themselves(client, community, resident):
    client.force_login(resident)

    response = client.post(url(community), {"q": resident.last_name, "find": "1"})

    assert offered(response) == set()


def test_a_small_community_gets_the_plain_form_without_a_search(client, community, resident):
    neighbour = MembershipFactory(community=community)
    client.force_login(resident)

    response = client.get(url(community))

    assert offered(response) == {neighbour.id}
    assert 'name="find"' not in response.content.decode()
