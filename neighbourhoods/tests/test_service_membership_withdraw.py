"""membership_withdraw: a resident takes back their own pending request."""

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from neighbourhoods import services
from neighbourhoods.models import Membership

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def pending(pending_resident):
    return pending_resident.memberships.get()


def test_resident_withdraws_their_pending_request(pending):
    services.membership_withdraw(user=pending.user, membership_id=pending.id)

    pending.refresh_from_db()
    assert pending.status == Status.WITHDRAWN
    assert pending.decided_at is not None


def test_withdrawing_someone_elses_request_gets_404(pending, resident):
    with pytest.raises(NotFound):
        services.membership_withdraw(user=resident, membership_id=pending.id)

    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_referent_cannot_withdraw_a_residents_request(pending, referent):
    with pytest.raises(NotFound):
        services.membership_withdraw(user=referent, membership_id=pending.id)


def test_withdrawing_an_unknown_id_gets_404(pending):
    with pytest.raises(NotFound):
        services.membership_withdraw(user=pending.user, membership_id=pending.id + 10_000)


def test_an_approved_membership_cannot_be_withdrawn(resident):
    membership = resident.memberships.get()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_withdraw(user=resident, membership_id=membership.id)

    assert excinfo.value.code == "not_pending"
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED


def test_after_withdrawing_the_resident_may_ask_again(pending):
    services.membership_withdraw(user=pending.user, membership_id=pending.id)

    again = services.membership_request(
        user=pending.user, community=pending.community, street="rue des Lilas"
    )

    assert again.status == Status.PENDING
