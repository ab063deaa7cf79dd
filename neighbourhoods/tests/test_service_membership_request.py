"""membership_request: a resident asks to join a community of the commune they declared."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.tests.factories import UserFactory
from conftest import another_backend_waits_on_a_lock, wait_for
from neighbourhoods import services
from neighbourhoods.models import Membership
from neighbourhoods.selectors import residence_commune
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(community):
    """Lives in the community's commune, has not asked to join anything yet."""
    return UserFactory(commune=community.neighbourhood.commune)


def refusal_code(**kwargs) -> str:
    with pytest.raises(ValidationError) as excinfo:
        services.membership_request(**kwargs)
    return excinfo.value.code


def test_request_creates_a_pending_membership_with_the_street(newcomer, community):
    membership = services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    membership.refresh_from_db()
    assert membership.user == newcomer
    assert membership.community == community
    assert membership.status == Membership.Status.PENDING
    assert membership.street == "rue des Lilas"
    assert membership.decided_at is None


def test_request_collapses_extra_spaces_in_the_street(newcomer, community):
    membership = services.membership_request(user=newcomer, community=community, street="  rue   des  Lilas ")
    assert membership.street == "rue des Lilas"


def test_request_emails_the_referents_of_the_neighbourhood_once_committed(
    newcomer, community, referent, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [referent.email]
    assert newcomer.get_full_name() in mail.outbox[0].body


def test_request_sends_nothing_before_the_transaction_commits(
    newcomer, community, referent, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_duplicate_request_is_refused_and_leaves_one_row(newcomer, community):
    services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    assert refusal_code(user=newcomer, community=community, street="rue des Lilas") == "duplicate_request"
    assert Membership.objects.filter(user=newcomer, community=community).count() == 1


def test_approved_member_cannot_ask_again(resident, community):
    assert refusal_code(user=resident, community=community, street="rue des Roses") == "duplicate_request"
    assert Membership.objects.filter(user=resident, community=community).count() == 1


def test_resident_who_left_may_ask_again(newcomer, community):
    MembershipFactory(user=newcomer, community=community, status=Membership.Status.LEFT)

    membership = services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    assert membership.status == Membership.Status.PENDING
    assert Membership.objects.filter(user=newcomer, community=community).count() == 2


@pytest.mark.parametrize(
    "street",
    [
        "12 rue des Lilas",
        "12bis rue des Lilas",
        "12 bis rue des Lilas",
        "3ter avenue Foch",
        "7B rue Neuve",
        " 4, rue Haute",
    ],
)
def test_street_with_a_house_number_is_refused(newcomer, community, street):
    assert refusal_code(user=newcomer, community=community, street=street) == "house_number"
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("street", ["rue du 8 Mai 1945", "allée du 11 Novembre", "rue des Lilas"])
def test_street_names_containing_numbers_are_accepted(newcomer, community, street):
    assert services.membership_request(user=newcomer, community=community, street=street).street == street


@pytest.mark.parametrize("street", ["", "   ", "\t\n"])
def test_empty_street_is_refused(newcomer, community, street):
    assert refusal_code(user=newcomer, community=community, street=street) == "street_required"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_street_longer_than_the_column_is_refused(newcomer, community):
    assert refusal_code(user=newcomer, community=community, street="rue " + "x" * 150) == "street_too_long"


def test_resident_without_a_declared_commune_is_refused(community):
    homeless = UserFactory(commune=None)

    assert refusal_code(user=homeless, community=community, street="rue des Lilas") == "no_commune_declared"
    assert not Membership.objects.filter(user=homeless).exists()


def test_community_of_another_commune_is_refused(newcomer, other_community):
    assert other_community.commune != residence_commune(newcomer)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_request(user=newcomer, community=other_community, street="rue des Lilas")

    assert excinfo.value.code == "wrong_commune"
    assert other_community.commune.name in excinfo.value.messages[0]
    assert residence_commune(newcomer).name in excinfo.value.messages[0]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_another_community_of_the_same_commune_is_a_separate_request(newcomer, community):
    sibling = CommunityFactory(neighbourhood__commune=community.commune)
    services.membership_request(user=newcomer, community=community, street="rue des Lilas")

    services.membership_request(user=newcomer, community=sibling, street="rue des Lilas")

    assert newcomer.memberships.count() == 2


def test_database_refuses_a_second_active_membership_for_the_same_pair(newcomer, community):
    """What guards two simultaneous requests that both passed the `exists()` check."""
    Membership.objects.create(user=newcomer, community=community, street="rue des Lilas")

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=newcomer, community=community, street="rue des Lilas", status=Membership.Status.APPROVED
        )


def test_database_allows_a_new_request_beside_a_closed_one(newcomer, community):
    Membership.objects.create(
        user=newcomer, community=community, street="rue des Lilas", status=Membership.Status.REJECTED
    )
    Membership.objects.create(user=newcomer, community=community, street="rue des Lilas")

    assert newcomer.memberships.count() == 2


def test_request_without_referent_is_accepted_and_emails_nobody(
    newcomer, run_tasks, django_capture_on_commit_callbacks
):
    lonely = CommunityFactory(neighbourhood__commune=residence_commune(newcomer))
    ReferentFactory()  # a referent elsewhere must not be told

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(user=newcomer, community=lonely, street="rue des Lilas")

    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_let_one_through_and_refuse_the_other_clearly(newcomer, community):
    """Another request commits while ours waits on the unique index: ours gets duplicate_request."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers; SQLite locks the whole database")
    first_inserted = threading.Event()

    def first_request():
        try:
            with transaction.atomic():
                Membership.objects.create(user=newcomer, community=community, street="rue des Lilas")
                first_inserted.set()
                assert wait_for(another_backend_waits_on_a_lock, timeout=10, interval=0.02), (
                    "the second request never waited on the first one's row"
                )
        finally:
            connection.close()

    first = threading.Thread(target=first_request)
    first.start()
    assert first_inserted.wait(10)
    try:
        with pytest.raises(ValidationError) as excinfo:
            services.membership_request(user=newcomer, community=community, street="rue des Lilas")
    finally:
        first.join(10)

    assert excinfo.value.code == "duplicate_request"
    assert Membership.objects.filter(user=newcomer, community=community).count() == 1
