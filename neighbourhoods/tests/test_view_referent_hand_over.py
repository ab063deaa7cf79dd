"""The referent's form to hand their role for a neighbourhood to a member."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from neighbourhoods.models import Membership, NeighbourhoodReferent
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def url(community):
    return reverse("neighbourhoods:referent_hand_over", args=[community.neighbourhood_id])


def is_referent(user, community) -> bool:
    return NeighbourhoodReferent.objects.filter(user=user, neighbourhood=community.neighbourhood).exists()


def test_candidates_are_the_approved_members_of_the_neighbourhood(
    client, referent, community, resident, outsider
):
    MembershipFactory(community=community, status=Membership.Status.PENDING)
    client.force_login(referent)

    response = client.get(url(community))

    assert response.status_code == 200
    assert list(response.context["form"].fields["successor"].queryset) == [resident]


def test_hand_over_to_a_member_moves_the_role(client, referent, community, resident):
    client.force_login(referent)

    response = client.post(url(community), {"successor": resident.id})

    assert response.status_code == 302
    assert is_referent(resident, community)
    assert not is_referent(referent, community)


def test_tampered_successor_id_is_a_form_error_and_nothing_changes(client, referent, community, outsider):
    client.force_login(referent)

    response = client.post(url(community), {"successor": outsider.id})

    assert response.status_code == 200
    message = page_language("Select a valid choice. That choice is not one of the available choices.")
    assertFormError(response.context["form"], "successor", [message])
    assert escape(message) in response.content.decode()
    assert is_referent(referent, community)
    assert not is_referent(outsider, community)


def test_pending_resident_cannot_be_chosen(client, referent, community, pending_resident):
    client.force_login(referent)

    response = client.post(url(community), {"successor": pending_resident.id})

    assert response.status_code == 200
    assert "successor" in response.context["form"].errors
    assert not is_referent(pending_resident, community)


def test_referent_cannot_hand_over_to_themselves(client, referent, community):
    MembershipFactory(community=community, user=referent)
    client.force_login(referent)

    response = client.post(url(community), {"successor": referent.id})

    assert response.status_code == 200
    assert "successor" in response.context["form"].errors
    assert is_referent(referent, community)


def test_empty_choice_is_a_form_error(client, referent, community, resident):
    client.force_login(referent)

    response = client.post(url(community), {"successor": ""})

    assert response.status_code == 200
    assertFormError(response.context["form"], "successor", [page_language("This field is required.")])
    assert is_referent(referent, community)
