"""referent_appoint: platform staff, or the town hall of the neighbourhood's commune, name a
referent; each community's members read it in their log and the new referent is emailed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from accounts.exceptions import NotFound
from accounts.models import User
from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.models import ModerationEntry, NeighbourhoodReferent
from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

Action = ModerationEntry.Action


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def newcomer(community):
    return UserFactory(commune=community.neighbourhood.commune, first_name="Aïcha", last_name="Benali")


def appointment_entries():
    return ModerationEntry.objects.filter(action=Action.REFERENT_APPOINTED)


def test_staff_name_a_referent_who_becomes_one(staff, community, newcomer):
    role = services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=newcomer)

    assert (role.neighbourhood, role.user, role.appointed_by) == (community.neighbourhood, newcomer, staff)
    assert newcomer.is_referent is True
    assert User.objects.get(id=newcomer.id).is_referent is True


def test_the_town_hall_of_the_commune_names_a_referent(mayor_office, community, newcomer):
    services.referent_appoint(appointed_by=mayor_office, neighbourhood=community.neighbourhood, user=newcomer)

    assert NeighbourhoodReferent.objects.filter(user=newcomer, appointed_by=mayor_office).count() == 1


def test_the_appointment_is_logged_in_each_community_of_the_neighbourhood(
    staff, community, newcomer, other_community
):
    sibling = CommunityFactory(neighbourhood=community.neighbourhood)

    services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=newcomer)

    entries = appointment_entries()
    assert {entry.community for entry in entries} == {community, sibling}
    assert {(entry.actor, entry.subject) for entry in entries} == {(staff, "Aïcha Benali")}
    assert not other_community.moderation_entries.exists()


def test_the_new_referent_is_emailed_once_the_appointment_is_committed(
    staff, community, newcomer, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=newcomer)
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [newcomer.email]
    assert community.neighbourhood.name in email.subject
    assert community.neighbourhood.commune.name in email.body


@pytest.mark.parametrize("who", ["mayor_office_elsewhere", "police_officer", "referent", "resident"])
def test_only_staff_and_the_communes_town_hall_may_name_referents(
    request, who, community, other_community, newcomer, django_capture_on_commit_callbacks
):
    if who == "mayor_office_elsewhere":
        actor = UserFactory(
            is_staff=True,
            official_role="mayor_office",
            official_commune=other_community.neighbourhood.commune,
        )
    else:
        actor = request.getfixturevalue(who)
    before = set(NeighbourhoodReferent.objects.values_list("id", flat=True))

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(NotFound):
        services.referent_appoint(appointed_by=actor, neighbourhood=community.neighbourhood, user=newcomer)

    assert set(NeighbourhoodReferent.objects.values_list("id", flat=True)) == before
    assert not appointment_entries().exists()
    assert callbacks == []
    newcomer.refresh_from_db()
    assert newcomer.is_referent is False


def test_naming_the_same_referent_twice_is_refused_without_a_second_log_or_email(
    staff, community, newcomer, django_capture_on_commit_callbacks
):
    services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=newcomer)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as excinfo:
        services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=newcomer)

    assert excinfo.value.code == "already_referent"
    assert excinfo.value.messages == [gettext("This person is already referent for this neighbourhood.")]
    assert NeighbourhoodReferent.objects.filter(user=newcomer).count() == 1
    assert appointment_entries().count() == 1
    assert callbacks == []


def test_a_closed_account_cannot_be_named(staff, community, django_capture_on_commit_callbacks):
    closed = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as excinfo:
        services.referent_appoint(appointed_by=staff, neighbourhood=community.neighbourhood, user=closed)

    assert excinfo.value.code == "inactive"
    assert not NeighbourhoodReferent.objects.filter(user=closed).exists()
    assert not appointment_entries().exists()
    assert callbacks == []
    closed.refresh_from_db()
    assert closed.is_referent is False
