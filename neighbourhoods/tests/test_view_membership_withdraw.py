"""The resident's button to withdraw a pending request."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership

pytestmark = pytest.mark.django_db


def url(membership):
    return reverse("neighbourhoods:membership_withdraw", args=[membership.id])


def test_resident_withdraws_their_request(client, pending_resident):
    membership = pending_resident.memberships.get()
    client.force_login(pending_resident)

    response = client.post(url(membership))

    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:my_communities")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.WITHDRAWN


def test_another_users_request_gets_404(client, pending_resident, resident):
    membership = pending_resident.memberships.get()
    client.force_login(resident)

    assert client.post(url(membership)).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_withdrawing_an_approved_membership_is_refused_with_a_message(client, resident):
    membership = resident.memberships.get()
    client.force_login(resident)

    response = client.post(url(membership), follow=True)

    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_get_is_not_allowed(client, pending_resident):
    client.force_login(pending_resident)

    assert client.get(url(pending_resident.memberships.get())).status_code == 405
