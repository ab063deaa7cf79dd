"""membership_decide: the referent of the community's neighbourhood (or platform staff) approves or
rejects a request."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from neighbourhoods import personal_data, services
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def request_(community):
    return MembershipFactory(community=community, status=Status.PENDING, decided_at=None)


def test_approving_makes_the_resident_a_member(referent, request_):
    services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    request_.refresh_from_db()
    assert request_.status == Status.APPROVED
    assert request_.decided_by == referent
    assert request_.decided_at is not None
    assert request_.decision_message == ""


def test_rejecting_keeps_the_referents_message(referent, request_):
    services.membership_decide(
        referent=referent, membership_id=request_.id, approve=False, message="  Adresse hors secteur.  "
    )

    request_.refresh_from_db()
    assert request_.status == Status.REJECTED
    assert request_.decided_by == referent
    assert request_.decision_message == "Adresse hors secteur."


def test_approving_twice_is_refused_as_not_pending(referent, request_):
    services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    assert excinfo.value.code == "not_pending"
    assert excinfo.value.messages == [gettext("This request has already been approved.")]


def test_rejecting_after_approval_leaves_the_member_approved(referent, request_):
    services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    with pytest.raises(ValidationError):
        services.membership_decide(referent=referent, membership_id=request_.id, approve=False)

    request_.refresh_from_db()
    assert request_.status == Status.APPROVED


def test_approving_a_withdrawn_request_says_the_resident_withdrew(referent, request_):
    services.membership_withdraw(user=request_.user, membership_id=request_.id)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    assert excinfo.value.code == "not_pending"
    assert excinfo.value.messages == [gettext("This request was withdrawn by the resident.")]
    request_.refresh_from_db()
    assert request_.status == Status.WITHDRAWN
    assert request_.decided_by is None


def test_referent_of_another_neighbourhood_gets_404(request_):
    elsewhere = ReferentFactory().user

    with pytest.raises(NotFound):
        services.membership_decide(referent=elsewhere, membership_id=request_.id, approve=True)

    request_.refresh_from_db()
    assert request_.status == Status.PENDING


def test_plain_member_of_the_community_gets_404(resident, request_):
    with pytest.raises(NotFound):
        services.membership_decide(referent=resident, membership_id=request_.id, approve=True)

    request_.refresh_from_db()
    assert request_.status == Status.PENDING


def test_platform_staff_decide_like_the_referent_and_the_members_read_it(request_, community):
    staff = UserFactory(is_staff=True, is_superuser=True)

    services.membership_decide(referent=staff, membership_id=request_.id, approve=True)

    request_.refresh_from_db()
    assert (request_.status, request_.decided_by) == (Status.APPROVED, staff)
    assert community.moderation_entries.get().actor == staff


def test_staff_without_superuser_rights_get_404(request_):
    with pytest.raises(NotFound):
        services.membership_decide(
            referent=UserFactory(is_staff=True), membership_id=request_.id, approve=True
        )

    request_.refresh_from_db()
    assert request_.status == Status.PENDING


def test_tampered_membership_id_gets_404(referent, request_):
    with pytest.raises(NotFound):
        services.membership_decide(referent=referent, membership_id=request_.id + 10_000, approve=True)


def test_resident_gets_the_approval_email_with_the_message_exactly_once(
    referent, request_, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            referent=referent, membership_id=request_.id, approve=True, message="Bienvenue parmi nous !"
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [request_.user.email]
    assert request_.community.name in email.subject
    assert "Bienvenue parmi nous !" in email.body
    assert "Bienvenue parmi nous !" in email.alternatives[0].content


def test_resident_gets_the_rejection_email_with_the_message_exactly_once(
    referent, request_, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            referent=referent, membership_id=request_.id, approve=False, message="Adresse hors secteur."
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [request_.user.email]
    assert "Adresse hors secteur." in mail.outbox[0].body


def test_approval_and_rejection_emails_differ(
    referent, community, run_tasks, django_capture_on_commit_callbacks
):
    approved = MembershipFactory(community=community, status=Status.PENDING, decided_at=None)
    rejected = MembershipFactory(community=community, status=Status.PENDING, decided_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(referent=referent, membership_id=approved.id, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(referent=referent, membership_id=rejected.id, approve=False)

    assert [m.to for m in mail.outbox] == [[approved.user.email], [rejected.user.email]]
    assert mail.outbox[0].subject != mail.outbox[1].subject


def test_a_refused_second_decision_sends_no_second_email(
    referent, request_, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(referent=referent, membership_id=request_.id, approve=True)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    assert len(mail.outbox) == 1


def test_no_email_leaves_before_commit(referent, request_, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_decide(referent=referent, membership_id=request_.id, approve=True)

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_rejecting_logs_the_name_and_the_reason_for_the_referents(referent, request_, community):
    services.membership_decide(
        referent=referent, membership_id=request_.id, approve=False, message="Hors quartier"
    )
    entry = community.moderation_entries.get()
    assert (entry.action, entry.subject, entry.reason) == (
        Status.REJECTED,
        request_.user.get_full_name(),
        "Hors quartier",
    )


def test_erasing_the_rejected_person_forgets_their_name_in_the_log(referent, request_, community):
    services.membership_decide(
        referent=referent, membership_id=request_.id, approve=False, message="Hors quartier"
    )
    personal_data.erase(request_.user)
    entry = community.moderation_entries.get()
    assert (entry.action, entry.subject, entry.reason) == (Status.REJECTED, "", "")
