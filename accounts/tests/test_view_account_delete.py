"""The page to delete one's account, which asks for a confirmation box."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from accounts.models import User
from neighbourhoods.models import Membership

pytestmark = pytest.mark.django_db

URL = reverse("account_delete")


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def test_without_the_box_nothing_is_deleted(client, resident):
    client.force_login(resident)

    response = client.post(URL, {})

    assert response.status_code == 200
    message = page_language("Tick the box to confirm.")
    assertFormError(response.context["form"], "confirm", [message])
    assert escape(message) in response.content.decode()
    assert User.objects.filter(id=resident.id).exists()
    assert Membership.objects.filter(user=resident).exists()


def test_with_the_box_the_account_is_erased_and_the_session_ends(client, resident):
    client.force_login(resident)
    user_id = resident.id

    response = client.post(URL, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(id=user_id).exists()
    assert not Membership.objects.filter(user_id=user_id).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("profile")).status_code == 302


def test_get_only_shows_the_form(client, resident):
    client.force_login(resident)

    assert client.get(URL).status_code == 200
    assert User.objects.filter(id=resident.id).exists()


def test_visitor_is_sent_to_log_in(client):
    response = client.post(URL, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
