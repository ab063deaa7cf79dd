"""Naming and removing referents in the admin goes through referent_appoint and
referent_remove: the members read it in their log, the new referent is emailed, and
`User.is_referent` follows the roles."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from accounts.tests.factories import UserFactory
from neighbourhoods.models import ModerationEntry, NeighbourhoodReferent
from neighbourhoods.tests.factories import CommunityFactory, ReferentFactory

pytestmark = pytest.mark.django_db

Action = ModerationEntry.Action
ADD = reverse("admin:neighbourhoods_neighbourhoodreferent_add")
LIST = reverse("admin:neighbourhoods_neighbourhoodreferent_changelist")


def delete_url(role):
    return reverse("admin:neighbourhoods_neighbourhoodreferent_delete", args=[role.id])


def is_referent(user) -> bool:
    return User.objects.get(id=user.id).is_referent


@pytest.fixture
def newcomer(community):
    return UserFactory(commune=community.neighbourhood.commune)


@pytest.fixture
def sibling(community):
    """A second community of the same neighbourhood: its members are told too."""
    return CommunityFactory(neighbourhood=community.neighbourhood)


@pytest.mark.parametrize("acting", ["admin_user", "mayor_office"])
def test_naming_a_referent_logs_it_in_each_community_and_emails_them(
    request,
    acting,
    client,
    community,
    sibling,
    other_community,
    newcomer,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    actor = request.getfixturevalue(acting)
    client.force_login(actor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {"neighbourhood": community.neighbourhood.id, "user": newcomer.id})

    assert response.status_code == 302, response.content.decode()[:2000]
    role = NeighbourhoodReferent.objects.get(user=newcomer)
    assert (role.neighbourhood, role.appointed_by) == (community.neighbourhood, actor)
    assert is_referent(newcomer) is True
    entries = ModerationEntry.objects.filter(action=Action.REFERENT_APPOINTED)
    assert {(e.community, e.actor, e.subject) for e in entries} == {
        (community, actor, newcomer.get_full_name()),
        (sibling, actor, newcomer.get_full_name()),
    }
    assert not other_community.moderation_entries.exists()
    assert [email.to for email in mail.outbox] == [[newcomer.email]]
    assert community.neighbourhood.name in mail.outbox[0].subject
    assert LogEntry.objects.filter(user=actor, object_id=str(role.id), action_flag=ADDITION).exists()


def test_naming_the_same_referent_again_shows_the_services_error_and_saves_nothing(
    admin_client, referent, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(ADD, {"neighbourhood": community.neighbourhood.id, "user": referent.id})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [gettext("This person is already referent for this neighbourhood.")]
    assert NeighbourhoodReferent.objects.filter(user=referent).count() == 1
    assert not ModerationEntry.objects.exists()
    assert callbacks == []
    assert not LogEntry.objects.exists()


def test_a_closed_account_is_refused_on_the_form(admin_client, community, django_capture_on_commit_callbacks):
    closed = UserFactory(is_active=False, commune=community.neighbourhood.commune)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(ADD, {"neighbourhood": community.neighbourhood.id, "user": closed.id})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [gettext("This account is closed.")]
    assert not NeighbourhoodReferent.objects.exists()
    assert is_referent(closed) is False
    assert not ModerationEntry.objects.exists()
    assert callbacks == []


def test_a_role_cannot_be_changed_only_removed(admin_client, referent, community, other_community):
    role = NeighbourhoodReferent.objects.get(user=referent)
    change = reverse("admin:neighbourhoods_neighbourhoodreferent_change", args=[role.id])

    page = admin_client.get(change)
    response = admin_client.post(
        change, {"neighbourhood": other_community.neighbourhood.id, "user": referent.id}
    )

    assert page.status_code == 200
    assert 'name="neighbourhood"' not in page.content.decode()
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.neighbourhood == community.neighbourhood


def test_the_town_hall_removes_a_referent_whose_last_role_it_was(
    client, mayor_office, referent, community, sibling
):
    role = NeighbourhoodReferent.objects.get(user=referent)
    client.force_login(mayor_office)

    response = client.post(delete_url(role), {"post": "yes"})

    assert response.status_code == 302
    assert not NeighbourhoodReferent.objects.filter(id=role.id).exists()
    assert is_referent(referent) is False
    entries = ModerationEntry.objects.filter(action=Action.REFERENT_REMOVED)
    assert {(e.community, e.actor, e.subject) for e in entries} == {
        (community, mayor_office, referent.get_full_name()),
        (sibling, mayor_office, referent.get_full_name()),
    }


def test_a_referent_with_another_role_stays_referent(admin_client, referent, community, other_community):
    role = NeighbourhoodReferent.objects.get(user=referent, neighbourhood=community.neighbourhood)
    ReferentFactory(user=referent, neighbourhood=other_community.neighbourhood)

    admin_client.post(delete_url(role), {"post": "yes"})

    assert not NeighbourhoodReferent.objects.filter(id=role.id).exists()
    assert is_referent(referent) is True
    assert community.moderation_entries.filter(action=Action.REFERENT_REMOVED).count() == 1
    assert not other_community.moderation_entries.exists()


def test_removing_several_referents_at_once_goes_through_the_service(admin_client, community):
    first = ReferentFactory(neighbourhood=community.neighbourhood)
    second = ReferentFactory(neighbourhood=community.neighbourhood)

    response = admin_client.post(
        LIST, {"action": "delete_selected", "_selected_action": [first.id, second.id], "post": "yes"}
    )

    assert response.status_code == 302
    assert not NeighbourhoodReferent.objects.exists()
    assert not is_referent(first.user) and not is_referent(second.user)
    assert set(
        community.moderation_entries.filter(action=Action.REFERENT_REMOVED).values_list("subject", flat=True)
    ) == {first.user.get_full_name(), second.user.get_full_name()}


def test_another_communes_town_hall_changes_nothing(client, mayor_office, other_community):
    theirs = ReferentFactory(neighbourhood=other_community.neighbourhood)
    stranger = UserFactory(commune=other_community.neighbourhood.commune)
    client.force_login(mayor_office)

    single = client.post(delete_url(theirs), {"post": "yes"})
    bulk = client.post(LIST, {"action": "delete_selected", "_selected_action": [theirs.id], "post": "yes"})
    add = client.post(ADD, {"neighbourhood": other_community.neighbourhood.id, "user": stranger.id})

    assert single.status_code in {302, 403, 404}
    assert bulk.status_code in {200, 302, 403, 404}
    assert add.status_code == 200  # the form again: that neighbourhood and person are not offered
    assert list(NeighbourhoodReferent.objects.all()) == [theirs]
    assert is_referent(theirs.user) is True
    assert not is_referent(stranger)
    assert not ModerationEntry.objects.exists()
