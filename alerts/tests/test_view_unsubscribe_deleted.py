"""The unsubscribe link of an email sent before its recipient deleted their account: it answers
normally and does nothing, and a token we never signed is still refused."""

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertTemplateNotUsed

from accounts.services import user_delete
from alerts import messages
from alerts.models import NotificationPreference

pytestmark = pytest.mark.django_db


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


@pytest.fixture
def link_of_a_deleted_account(resident):
    """The unsubscribe path of an email sent to `resident`, who has deleted their account since."""
    path = messages.unsubscribe_url(resident.id).removeprefix(settings.SITE_URL)
    user_delete(user=resident)
    return path


def test_one_click_post_after_the_account_was_deleted_answers_200_and_does_nothing(
    link_of_a_deleted_account,
):
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF token

    response = mail_client.post(link_of_a_deleted_account, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()


def test_the_page_says_the_address_receives_nothing_any_more_after_the_account_was_deleted(
    client, link_of_a_deleted_account
):
    response = client.get(link_of_a_deleted_account)

    assert response.status_code == 200
    page = response.content.decode()
    assert page_language("You will no longer receive alerts by email.") in page
    assertTemplateNotUsed(response, "alerts/unsubscribe.html")  # nothing left to confirm
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "",
        "x" * 2000,
        "é:ü",
        signing.dumps(1, salt="another.purpose"),
        signing.dumps(1, salt=messages.UNSUBSCRIBE_SALT) + "A",
    ],
)
def test_a_token_we_did_not_sign_for_unsubscribing_gets_404(client, method, token):
    path = reverse("alerts:unsubscribe", args=["-"]).replace("/-/", f"/{token}/")

    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("payload", ["1", [1], {"id": 1}, None, True, 1.0])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_signed_token_that_holds_no_account_id_gets_404(client, resident, method, payload):
    path = reverse("alerts:unsubscribe", args=[signing.dumps(payload, salt=messages.UNSUBSCRIBE_SALT)])

    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_beyond_any_account_answers_like_a_deleted_account(client, method):
    path = reverse("alerts:unsubscribe", args=[signing.dumps(10**30, salt=messages.UNSUBSCRIBE_SALT)])

    response = getattr(client, method)(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert page_language("You will no longer receive alerts by email.") in page
    assertTemplateNotUsed(response, "alerts/unsubscribe.html")
