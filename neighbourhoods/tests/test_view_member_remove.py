"""The referent's page to remove a member, with a reason."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertFormError

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


@pytest.fixture
def membership(resident):
    return resident.memberships.get()


def url(membership):
    return reverse("neighbourhoods:member_remove", args=[membership.community_id, membership.id])


def test_referent_sees_the_removal_form(client, referent, membership):
    client.force_login(referent)

    response = client.get(url(membership))

    assert response.status_code == 200
    assert escape(membership.user.get_full_name()) in response.content.decode()


def test_removal_with_a_reason_removes_and_redirects(client, referent, membership):
    client.force_login(referent)

    response = client.post(url(membership), {"reason": "Propos injurieux"})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "neighbourhoods:referent_community", args=[membership.community_id]
    )
    membership.refresh_from_db()
    assert membership.status == Status.REMOVED
    assert membership.decision_message == "Propos injurieux"


@pytest.mark.parametrize("reason", ["", "   "])
def test_removal_without_a_reason_shows_an_error_and_keeps_the_member(client, referent, membership, reason):
    client.force_login(referent)

    response = client.post(url(membership), {"reason": reason})

    assert response.status_code == 200
    message = page_language("This field is required.")
    assertFormError(response.context["form"], "reason", [message])
    assert escape(message) in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED


def test_a_pending_request_cannot_be_reached_through_the_removal_page(client, referent, community):
    pending = MembershipFactory(community=community, status=Status.PENDING)
    client.force_login(referent)

    assert client.post(url(pending), {"reason": "Spam"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_a_member_of_another_community_cannot_be_removed_through_ours(client, referent, community, outsider):
    theirs = outsider.memberships.get()
    client.force_login(referent)
    tampered = reverse("neighbourhoods:member_remove", args=[community.id, theirs.id])

    assert client.post(tampered, {"reason": "Spam"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.APPROVED


def test_removed_member_gets_the_email_with_the_reason(
    client, referent, membership, run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(referent)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(membership), {"reason": "Propos injurieux"})

    assert [m.to for m in mailoutbox] == [[membership.user.email]]
    assert "Propos injurieux" in mailoutbox[0].body
