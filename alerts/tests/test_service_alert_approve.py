"""alert_approve: a referent of the alert's neighbourhood publishes a pending alert, once."""

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from alerts.models import Alert, Delivery
from alerts.services.moderation import alert_approve
from alerts.tests.factories import AlertFactory
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_alert(community, resident):
    MembershipFactory(community=community)  # someone to tell once it is published
    return AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        status=Alert.Status.PENDING,
        published_at=None,
    )


def test_referent_approves_a_pending_alert_which_is_then_sent(
    pending_alert, referent, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_approve(referent=referent, alert_id=pending_alert.id)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.PUBLISHED
    assert alert.published_at is not None
    assert alert.moderated_by == referent
    assert len(sms_outbox) == 1
    assert set(alert.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_approving_twice_is_refused_and_sends_nothing_more(pending_alert, referent):
    alert_approve(referent=referent, alert_id=pending_alert.id)
    with pytest.raises(ValidationError):
        alert_approve(referent=referent, alert_id=pending_alert.id)
    assert pending_alert.deliveries.count() == 2  # one SMS and one email, not four


@pytest.mark.parametrize("status", [Alert.Status.PUBLISHED, Alert.Status.REJECTED, Alert.Status.WITHDRAWN])
def test_only_a_pending_alert_can_be_approved(pending_alert, referent, status):
    Alert.objects.filter(id=pending_alert.id).update(status=status)
    with pytest.raises(ValidationError):
        alert_approve(referent=referent, alert_id=pending_alert.id)
    pending_alert.refresh_from_db()
    assert pending_alert.status == status
    assert not pending_alert.deliveries.exists()


def test_referent_of_another_neighbourhood_gets_404(pending_alert, other_community):
    stranger = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    with pytest.raises(NotFound):
        alert_approve(referent=stranger, alert_id=pending_alert.id)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING


def test_plain_member_gets_404(pending_alert, community):
    member = MembershipFactory(community=community).user
    with pytest.raises(NotFound):
        alert_approve(referent=member, alert_id=pending_alert.id)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING


def test_approve_view_publishes_for_the_referent_and_answers_404_to_a_member(
    client, pending_alert, referent, resident
):
    url = f"/referent/alerts/{pending_alert.id}/approve/"
    client.force_login(resident)
    assert client.post(url).status_code == 404
    client.force_login(referent)
    response = client.post(url)
    assert response.status_code == 302
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PUBLISHED


@pytest.mark.parametrize("kind", [Alert.Kind.POLICE, Alert.Kind.NOTICE])
def test_no_referent_approves_a_police_warning_or_notice_even_in_their_own_neighbourhood(
    pending_alert, referent, kind
):
    Alert.objects.filter(id=pending_alert.id).update(kind=kind)
    with pytest.raises(NotFound):
        alert_approve(referent=referent, alert_id=pending_alert.id)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING
    assert not pending_alert.deliveries.exists()
    assert not ModerationEntry.objects.exists()
