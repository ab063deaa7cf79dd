"""Holiday watch: an absence is seen only by those the member chose, and deleted a week after it ends."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.exceptions import NotFound
from neighbourhoods import selectors, services
from neighbourhoods.models import Absence, Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def declare(user, community, **overrides):
    fields = {
        "starts_on": TODAY + datetime.timedelta(days=2),
        "ends_on": TODAY + datetime.timedelta(days=16),
        "note": "Le voisin arrose le jardin le samedi.",
        "share_with_referent": True,
        "neighbour_ids": [],
    }
    return services.absence_declare(user=user, community_id=community.id, **{**fields, **overrides})


def test_named_neighbours_and_the_referent_see_it_and_nobody_else(community, resident, referent, outsider):
    chosen = MembershipFactory(community=community).user
    not_chosen = MembershipFactory(community=community).user
    other_referent = ReferentFactory().user
    absence = declare(resident, community, neighbour_ids=[chosen.id])
    assert list(selectors.absences_visible_to(chosen)) == [absence]
    assert list(selectors.absences_visible_to(referent)) == [absence]
    for stranger in (not_chosen, outsider, other_referent):
        assert list(selectors.absences_visible_to(stranger)) == []


def test_not_shared_with_the_referent_means_the_referent_does_not_see_it(community, resident, referent):
    chosen = MembershipFactory(community=community).user
    declare(resident, community, share_with_referent=False, neighbour_ids=[chosen.id])
    assert list(selectors.absences_visible_to(referent)) == []


def test_sharing_with_someone_outside_the_community_is_refused(community, resident, outsider):
    with pytest.raises(ValidationError):
        declare(resident, community, neighbour_ids=[outsider.id])
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    "starts, ends",
    [(5, 2), (-10, -3), (1, 400)],
)
def test_impossible_dates_are_refused(community, resident, starts, ends):
    with pytest.raises(ValidationError):
        declare(
            resident,
            community,
            starts_on=TODAY + datetime.timedelta(days=starts),
            ends_on=TODAY + datetime.timedelta(days=ends),
        )
    assert not Absence.objects.exists()


def test_sharing_with_nobody_is_refused(community, resident):
    with pytest.raises(ValidationError):
        declare(resident, community, share_with_referent=False)


def test_non_member_cannot_declare_in_a_community(community, outsider):
    with pytest.raises(NotFound):
        declare(outsider, community)


def test_ended_absence_disappears_at_once_and_is_deleted_a_week_later(community, resident, referent):
    absence = declare(resident, community)
    Absence.objects.filter(id=absence.id).update(
        starts_on=TODAY - datetime.timedelta(days=20), ends_on=TODAY - datetime.timedelta(days=1)
    )
    assert list(selectors.absences_visible_to(referent)) == []
    assert services.absences_purge() == 0  # kept for a week after the end
    later = timezone.now() + datetime.timedelta(days=7)
    assert services.absences_purge(now=later) == 1
    assert not Absence.objects.exists()


def test_absence_of_someone_who_left_is_no_longer_shown(community, resident, referent):
    declare(resident, community)
    Membership.objects.filter(user=resident).update(status=Membership.Status.LEFT)
    assert list(selectors.absences_visible_to(referent)) == []


def test_watch_page_shows_only_shared_absences(client, community, resident):
    chosen = MembershipFactory(community=community).user
    other = MembershipFactory(community=community).user
    declare(resident, community, neighbour_ids=[chosen.id], note="Clé chez personne")
    client.force_login(chosen)
    assert "Clé chez personne" in client.get(reverse("neighbourhoods:watch")).content.decode()
    client.force_login(other)
    assert "Clé chez personne" not in client.get(reverse("neighbourhoods:watch")).content.decode()


def test_declaring_from_the_page_and_deleting_it(client, community, resident):
    chosen = MembershipFactory(community=community).user
    client.force_login(resident)
    response = client.post(
        reverse("neighbourhoods:absence_declare", args=[community.id]),
        {
            "starts_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=8)).isoformat(),
            "share_with_referent": "on",
            "neighbour_ids": [str(chosen.memberships.get().id)],
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert list(absence.shared_with.all()) == [chosen]
    client.post(reverse("neighbourhoods:absence_delete", args=[absence.id]))
    assert not Absence.objects.exists()


def test_someone_elses_absence_cannot_be_deleted(client, community, resident):
    absence = declare(resident, community)
    intruder = MembershipFactory(community=community).user
    client.force_login(intruder)
    assert client.post(reverse("neighbourhoods:absence_delete", args=[absence.id])).status_code == 404
    assert Absence.objects.exists()


def test_declare_page_is_404_for_non_members(client, community, outsider):
    client.force_login(outsider)
    assert client.get(reverse("neighbourhoods:absence_declare", args=[community.id])).status_code == 404
