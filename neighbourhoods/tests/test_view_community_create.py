"""The referent's form to create a community in one of their neighbourhoods."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from neighbourhoods.models import Community
from neighbourhoods.tests.factories import CommunityFactory, ReferentFactory

pytestmark = pytest.mark.django_db

URL = reverse("neighbourhoods:community_create")


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def post(client, neighbourhood_id, name="Les Tilleuls", **extra):
    return client.post(URL, {"neighbourhood": neighbourhood_id, "name": name, **extra})


def test_referent_creates_a_community_and_lands_on_its_page(client, referent, community):
    client.force_login(referent)

    response = post(client, community.neighbourhood_id, description="Autour du parc")

    created = Community.objects.get(name="Les Tilleuls")
    assert created.neighbourhood == community.neighbourhood
    assert created.created_by == referent
    assert created.description == "Autour du parc"
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:referent_community", args=[created.id])


def test_the_form_offers_only_the_referents_neighbourhoods(client, referent, community, other_community):
    client.force_login(referent)

    response = client.get(URL)

    choices = list(response.context["form"].fields["neighbourhood"].queryset)
    assert choices == [community.neighbourhood]


def test_tampered_neighbourhood_id_is_a_form_error_and_creates_nothing(client, referent, other_community):
    client.force_login(referent)
    before = Community.objects.count()

    response = post(client, other_community.neighbourhood_id, name="Intrus")

    assert response.status_code == 200
    message = page_language("Select a valid choice. That choice is not one of the available choices.")
    assertFormError(response.context["form"], "neighbourhood", [message])
    assert escape(message) in response.content.decode()
    assert Community.objects.count() == before


def test_duplicate_name_is_a_form_error_and_creates_nothing(client, referent, community):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Les Tilleuls")
    client.force_login(referent)

    response = post(client, community.neighbourhood_id, name="les tilleuls")

    assert response.status_code == 200
    message = page_language("A community with this name already exists in this neighbourhood.")
    assertFormError(response.context["form"], None, [message])
    assert escape(message) in response.content.decode()
    assert (
        Community.objects.filter(neighbourhood=community.neighbourhood, name__iexact="les tilleuls").count()
        == 1
    )


def test_missing_name_is_a_form_error(client, referent, community):
    client.force_login(referent)
    before = Community.objects.count()

    response = post(client, community.neighbourhood_id, name="  ")

    assert response.status_code == 200
    assertFormError(response.context["form"], "name", [page_language("This field is required.")])
    assert Community.objects.count() == before


@pytest.mark.parametrize("who", ["resident", "outsider"])
def test_non_referents_are_sent_back_and_create_nothing(client, request, community, who):
    client.force_login(request.getfixturevalue(who))
    before = Community.objects.count()

    response = post(client, community.neighbourhood_id)

    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:referent_home")
    assert Community.objects.count() == before


def test_referent_of_another_neighbourhood_cannot_create_in_ours(client, community):
    client.force_login(ReferentFactory().user)

    response = post(client, community.neighbourhood_id, name="Intrus")

    assert response.status_code == 200
    assert "neighbourhood" in response.context["form"].errors
    assert not Community.objects.filter(name="Intrus").exists()
