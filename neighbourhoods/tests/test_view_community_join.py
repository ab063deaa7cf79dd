"""The join form: a resident asks to join a community; bad input shows a clear error, saves nothing."""

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from accounts.tests.factories import UserFactory
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def page_language(msgid: str) -> str:
    """The message as a visitor without language preferences reads it."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def assert_shows(response, text: str):
    assert text in unescape(response.content.decode())  # however the quote is escaped


@pytest.fixture
def newcomer(client, community):
    user = UserFactory(commune=community.commune)
    client.force_login(user)
    return user


def join(client, community, street):
    return client.post(reverse("neighbourhoods:community_join", args=[community.id]), {"street": street})


def test_join_form_is_shown_to_a_logged_in_resident(client, newcomer, community):
    response = client.get(reverse("neighbourhoods:community_join", args=[community.id]))

    assert response.status_code == 200
    assert_shows(response, community.name)


def test_visitor_is_sent_to_log_in(client, community):
    response = join(client, community, "rue des Lilas")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.exists()


def test_valid_request_is_saved_and_redirects_to_my_communities(client, newcomer, community):
    response = join(client, community, "rue des Lilas")

    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:my_communities")
    membership = Membership.objects.get(user=newcomer)
    assert membership.community == community
    assert membership.status == Membership.Status.PENDING


@pytest.mark.parametrize("street", ["12 rue des Lilas", "12bis rue des Lilas"])
def test_house_number_shows_an_error_on_the_street_field(client, newcomer, community, street):
    response = join(client, community, street)

    assert response.status_code == 200
    message = page_language("Give the street name only, without the house number (e.g. “rue des Lilas”).")
    assertFormError(response.context["form"], "street", [message])
    assert_shows(response, message)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_empty_street_shows_the_required_error(client, newcomer, community):
    response = join(client, community, "   ")

    assert response.status_code == 200
    assertFormError(response.context["form"], "street", [page_language("This field is required.")])
    assert not Membership.objects.filter(user=newcomer).exists()


def test_duplicate_request_shows_an_error_and_keeps_one_row(client, newcomer, community):
    join(client, community, "rue des Lilas")

    response = join(client, community, "rue des Lilas")

    assert response.status_code == 200
    message = page_language("You have already asked to join this community.")
    assertFormError(response.context["form"], None, [message])
    assert_shows(response, message)
    assert Membership.objects.filter(user=newcomer, community=community).count() == 1


def test_community_of_another_commune_shows_an_error(client, newcomer):
    elsewhere = CommunityFactory()

    response = join(client, elsewhere, "rue des Lilas")

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert elsewhere.commune.name in errors[0]
    assert_shows(response, errors[0])
    assert not Membership.objects.filter(user=newcomer).exists()


def test_resident_without_a_commune_is_told_to_declare_one(client, community):
    user = UserFactory(commune=None)
    client.force_login(user)

    response = join(client, community, "rue des Lilas")

    assert response.status_code == 200
    message = page_language("First tell us which commune you live in.")
    assertFormError(response.context["form"], None, [message])
    assert_shows(response, message)
    assert not Membership.objects.filter(user=user).exists()


def test_unknown_community_gets_404(client, newcomer, community):
    response = client.post(
        reverse("neighbourhoods:community_join", args=[community.id + 10_000]), {"street": "rue"}
    )

    assert response.status_code == 404
