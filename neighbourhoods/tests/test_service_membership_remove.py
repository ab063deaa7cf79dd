"""membership_remove: the referent (or platform staff) removes an approved member and says why."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.models import Membership
from neighbourhoods.selectors import members_visible_to
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def membership(resident):
    return resident.memberships.get()


def test_removal_records_the_reason_and_who_decided(referent, membership):
    services.membership_remove(referent=referent, membership_id=membership.id, reason=" Déménagé. ")

    membership.refresh_from_db()
    assert membership.status == Status.REMOVED
    assert membership.decided_by == referent
    assert membership.decision_message == "Déménagé."


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_removal_without_a_reason_is_refused(referent, membership, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(referent=referent, membership_id=membership.id, reason=reason)

    assert excinfo.value.code == "reason_required"
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN, Status.LEFT, Status.REMOVED]
)
def test_only_approved_members_can_be_removed(referent, community, status):
    membership = MembershipFactory(community=community, status=status)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(referent=referent, membership_id=membership.id, reason="Spam")

    assert excinfo.value.code == "not_member"
    membership.refresh_from_db()
    assert membership.status == status


def test_referent_cannot_remove_themselves(referent, community):
    own = MembershipFactory(community=community, user=referent)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(referent=referent, membership_id=own.id, reason="Fatigué")

    assert excinfo.value.code == "self"


def test_referent_of_another_neighbourhood_gets_404(membership):
    with pytest.raises(NotFound):
        services.membership_remove(
            referent=ReferentFactory().user, membership_id=membership.id, reason="Spam"
        )

    membership.refresh_from_db()
    assert membership.status == Status.APPROVED


def test_plain_member_gets_404(community, membership):
    fellow = MembershipFactory(community=community).user

    with pytest.raises(NotFound):
        services.membership_remove(referent=fellow, membership_id=membership.id, reason="Spam")


def test_tampered_id_gets_404(referent, membership):
    with pytest.raises(NotFound):
        services.membership_remove(referent=referent, membership_id=membership.id + 10_000, reason="Spam")


def test_removed_member_gets_an_email_with_the_reason_once(
    referent, membership, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_remove(referent=referent, membership_id=membership.id, reason="Propos injurieux.")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [membership.user.email]
    assert membership.community.name in mail.outbox[0].subject
    assert "Propos injurieux." in mail.outbox[0].body
    assert "Propos injurieux." in mail.outbox[0].alternatives[0].content


def test_removed_member_disappears_from_the_directory(referent, community, membership):
    viewer = MembershipFactory(community=community).user

    services.membership_remove(referent=referent, membership_id=membership.id, reason="Spam")

    assert membership not in members_visible_to(viewer, community)


def test_platform_staff_remove_like_the_referent(membership, community):
    staff = UserFactory(is_staff=True, is_superuser=True)

    services.membership_remove(referent=staff, membership_id=membership.id, reason="Spam")

    membership.refresh_from_db()
    assert (membership.status, membership.decided_by) == (Status.REMOVED, staff)
    entry = community.moderation_entries.get()
    assert (entry.actor, entry.reason) == (staff, "Spam")
