"""alert_reject: the referent refuses a pending alert with a reason, which the author receives."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from alerts.models import Alert
from alerts.services.moderation import alert_reject
from alerts.tests.factories import AlertFactory
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db

REASON = "Merci de décrire le véhicule, pas les personnes."


@pytest.fixture
def pending_alert(community, resident):
    MembershipFactory(community=community)
    return AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        status=Alert.Status.PENDING,
        published_at=None,
    )


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(pending_alert, referent, reason):
    with pytest.raises(ValidationError):
        alert_reject(referent=referent, alert_id=pending_alert.id, reason=reason)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING


def test_author_is_emailed_the_reason_and_no_one_else_is_told(
    pending_alert, referent, resident, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        alert_reject(referent=referent, alert_id=pending_alert.id, reason=REASON)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.REJECTED
    assert pending_alert.moderation_reason == REASON
    assert pending_alert.moderated_by == referent
    assert [m.to for m in mail.outbox] == [[resident.email]]
    message = mail.outbox[0]
    assert REASON in message.body
    assert REASON in message.alternatives[0][0].replace("&#x27;", "'")
    assert not pending_alert.deliveries.exists()
    assert sms_outbox == []


def test_the_email_leaves_only_after_the_commit(
    pending_alert, referent, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert_reject(referent=referent, alert_id=pending_alert.id, reason=REASON)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_published_alert_cannot_be_rejected(pending_alert, referent):
    Alert.objects.filter(id=pending_alert.id).update(status=Alert.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        alert_reject(referent=referent, alert_id=pending_alert.id, reason=REASON)
    assert mail.outbox == []


def test_reason_with_html_is_escaped_in_the_email(
    pending_alert, referent, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert_reject(referent=referent, alert_id=pending_alert.id, reason="<b>non</b>")
    html = mail.outbox[0].alternatives[0][0]
    assert "<b>non</b>" not in html
    assert "&lt;b&gt;non&lt;/b&gt;" in html


def test_reject_view_without_reason_shows_an_error_and_keeps_the_alert_pending(
    client, pending_alert, referent
):
    client.force_login(referent)
    response = client.post(f"/referent/alerts/{pending_alert.id}/reject/", {"reason": ""}, follow=True)
    assert response.status_code == 200
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING
    assert mail.outbox == []


@pytest.mark.parametrize("kind", [Alert.Kind.POLICE, Alert.Kind.NOTICE])
def test_no_referent_rejects_a_police_warning_or_notice_even_in_their_own_neighbourhood(
    pending_alert, referent, kind
):
    Alert.objects.filter(id=pending_alert.id).update(kind=kind)
    with pytest.raises(NotFound):
        alert_reject(referent=referent, alert_id=pending_alert.id, reason=REASON)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING
    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize("reason", [REASON, ""])
def test_referent_of_another_neighbourhood_gets_404_whatever_the_reason(
    pending_alert, other_community, reason
):
    stranger = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    with pytest.raises(NotFound):
        alert_reject(referent=stranger, alert_id=pending_alert.id, reason=reason)
    pending_alert.refresh_from_db()
    assert pending_alert.status == Alert.Status.PENDING
