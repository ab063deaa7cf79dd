"""The member's button to leave a community."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership

pytestmark = pytest.mark.django_db


def url(membership):
    return reverse("neighbourhoods:membership_leave", args=[membership.id])


def test_member_leaves_and_loses_the_directory(client, community, resident):
    membership = resident.memberships.get()
    client.force_login(resident)

    response = client.post(url(membership))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LEFT
    assert client.get(reverse("neighbourhoods:directory", args=[community.id])).status_code == 404


def test_another_members_membership_gets_404(client, resident, outsider):
    membership = resident.memberships.get()
    client.force_login(outsider)

    assert client.post(url(membership)).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_a_pending_request_cannot_be_left(client, pending_resident):
    membership = pending_resident.memberships.get()
    client.force_login(pending_resident)

    assert client.post(url(membership)).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
