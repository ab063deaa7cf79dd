"""The police withdraw their own warning from its progress page; nobody else can from there."""

import pytest
from django.urls import reverse

from alerts.models import Alert, Delivery
from alerts.tests.factories import PoliceOfficerFactory
from alerts.tests.test_admin_police_post_warning import ADD_URL, form_data
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(client, community, run_tasks, django_capture_on_commit_callbacks):
    officer = PoliceOfficerFactory(official_commune=community.neighbourhood.commune)
    member = MembershipFactory(community=community).user
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD_URL, form_data(communities=[community.id], confirm="1"))
    client.logout()
    return {"alert": Alert.objects.get(), "officer": officer, "member": member}


def change_url(alert):
    return reverse("admin:alerts_alert_change", args=[alert.id])


def test_the_officer_withdraws_the_warning_and_those_told_are_told(
    client, warning, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    alert = warning["alert"]
    client.force_login(warning["officer"])
    assert 'name="withdraw"' in client.get(change_url(alert)).content.decode()
    told_before = len(sms_outbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(alert), {"withdraw": "1", "reason": "Fausse alerte"})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Alert.Status.WITHDRAWN
    assert len(sms_outbox) == told_before + 1  # the member who had the SMS is told it is withdrawn
    assert alert.deliveries.filter(purpose=Delivery.Purpose.WITHDRAWAL).exists()


def test_police_of_another_commune_cannot_withdraw_it(client, warning):
    other = PoliceOfficerFactory(official_commune=CommunityFactory().neighbourhood.commune)
    client.force_login(other)
    response = client.post(change_url(warning["alert"]), {"withdraw": "1"})
    assert response.status_code in (302, 403, 404)
    warning["alert"].refresh_from_db()
    assert warning["alert"].status == Alert.Status.PUBLISHED
