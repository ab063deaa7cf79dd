"""In the admin, platform staff decide on requests and remove members through the services of
the referent's page: the resident is emailed, the members' log records it, `decided_by` says
who. Nothing else writes a membership there."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext

from accounts.tests.factories import UserFactory, enable_totp
from neighbourhoods.models import Membership, ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status
Action = ModerationEntry.Action
LIST = reverse("admin:neighbourhoods_membership_changelist")


@pytest.fixture
def pending(community):
    return MembershipFactory(community=community, status=Status.PENDING, decided_at=None)


@pytest.fixture
def member(resident):
    return resident.memberships.get()


def act(client, action, *memberships, follow=False, **data):
    selected = [m.id for m in memberships]
    return client.post(LIST, {"action": action, "_selected_action": selected, **data}, follow=follow)


def test_approving_emails_the_resident_logs_it_and_records_who_decided(
    admin_client, admin_user, pending, community, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "approve_requests", pending)

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Status.APPROVED, admin_user)
    assert pending.decided_at is not None
    entry = community.moderation_entries.get()
    assert (entry.action, entry.actor, entry.subject) == (
        Action.APPROVED,
        admin_user,
        pending.user.get_full_name(),
    )
    assert [email.to for email in mail.outbox] == [[pending.user.email]]
    assert community.name in mail.outbox[0].subject


def test_rejecting_asks_for_the_message_then_sends_it(
    admin_client, admin_user, pending, community, run_tasks, django_capture_on_commit_callbacks
):
    page = act(admin_client, "reject_requests", pending)

    assert page.status_code == 200
    assert pending.user.get_full_name() in page.content.decode()
    assert 'name="message"' in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "reject_requests", pending, apply="1", message="Adresse hors secteur.")

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Status.REJECTED, admin_user)
    assert pending.decision_message == "Adresse hors secteur."
    entry = community.moderation_entries.get()
    # Kept for the referents, who alone read them in the log (selectors.moderation_log_for).
    assert (entry.action, entry.subject, entry.reason) == (
        Action.REJECTED,
        pending.user.get_full_name(),
        "Adresse hors secteur.",
    )
    assert [email.to for email in mail.outbox] == [[pending.user.email]]
    assert "Adresse hors secteur." in mail.outbox[0].body


def test_removing_needs_a_reason(admin_client, member, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = act(admin_client, "remove_members", member, apply="1", reason="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [gettext("This field is required.")]
    member.refresh_from_db()
    assert member.status == Status.APPROVED
    assert not community.moderation_entries.exists()
    assert callbacks == []


def test_removing_with_a_reason_emails_the_member_and_logs_the_reason(
    admin_client, admin_user, member, community, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "remove_members", member, apply="1", reason="Propos injurieux.")

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.decided_by, member.decision_message) == (
        Status.REMOVED,
        admin_user,
        "Propos injurieux.",
    )
    entry = community.moderation_entries.get()
    assert (entry.action, entry.actor, entry.reason) == (Action.REMOVED, admin_user, "Propos injurieux.")
    assert [email.to for email in mail.outbox] == [[member.user.email]]
    assert "Propos injurieux." in mail.outbox[0].body


def test_a_row_the_service_refuses_is_reported_and_the_others_are_done(
    admin_client, member, pending, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "approve_requests", member, pending, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert any(gettext("This request has already been approved.") in text for text in shown)
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    assert list(community.moderation_entries.values_list("subject", flat=True)) == [
        pending.user.get_full_name()
    ]


def test_memberships_are_not_added_edited_or_deleted_directly(admin_client, member, community):
    change = reverse("admin:neighbourhoods_membership_change", args=[member.id])

    assert admin_client.get(reverse("admin:neighbourhoods_membership_add")).status_code == 403
    assert admin_client.post(change, {"status": Status.REMOVED, "street": "rue X"}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:neighbourhoods_membership_delete", args=[member.id]), {"post": "yes"}
        ).status_code
        == 403
    )
    act(admin_client, "delete_selected", member, post="yes")

    member.refresh_from_db()
    assert member.status == Status.APPROVED
    assert not community.moderation_entries.exists()


def test_staff_who_may_only_read_memberships_cannot_decide(client, pending):
    reader = UserFactory(is_staff=True)
    enable_totp(reader)
    reader.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client.force_login(reader)

    listing = client.get(LIST)
    act(client, "approve_requests", pending)

    assert listing.status_code == 200
    assert "approve_requests" not in listing.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
