"""Flags and deliveries are seen in the admin, never written there: flags are written by
`alert_flag`, deliveries by the sending pipeline alone. Not even platform staff add, change or
delete them."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory, enable_totp
from alerts.models import AlertFlag, Delivery
from alerts.tests.factories import AlertFactory, DeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def rows(community, resident):
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    flag = AlertFlag.objects.create(alert=alert, user=resident, reason="Le facteur")
    delivery = DeliveryFactory(alert=alert, recipient=resident)
    return {"alertflag": flag, "delivery": delivery}


@pytest.mark.parametrize("model", ["alertflag", "delivery"])
def test_staff_see_the_list_and_each_row_without_a_way_to_change_them(staff_client, rows, model):
    row = rows[model]
    listing = staff_client.get(reverse(f"admin:alerts_{model}_changelist"))
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    assert reverse(f"admin:alerts_{model}_add") not in listing.content.decode()

    page = staff_client.get(reverse(f"admin:alerts_{model}_change", args=[row.id]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize("model", ["alertflag", "delivery"])
def test_staff_cannot_add_change_or_delete_one(staff_client, rows, model):
    row = rows[model]
    assert staff_client.get(reverse(f"admin:alerts_{model}_add")).status_code == 403
    change = staff_client.post(
        reverse(f"admin:alerts_{model}_change", args=[row.id]), {"reason": "changé", "status": "sent"}
    )
    assert change.status_code == 403
    assert (
        staff_client.post(reverse(f"admin:alerts_{model}_delete", args=[row.id]), {"post": "yes"}).status_code
        == 403
    )
    bulk = staff_client.post(
        reverse(f"admin:alerts_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.id], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)

    row.refresh_from_db()  # still there, unchanged
    assert AlertFlag.objects.get().reason == "Le facteur"
    assert Delivery.objects.get().status == Delivery.Status.QUEUED
