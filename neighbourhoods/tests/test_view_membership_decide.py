"""The referent's approve/reject buttons."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def page_language(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


@pytest.fixture
def pending(pending_resident):
    return pending_resident.memberships.get()


def community_page(membership) -> str:
    return reverse("neighbourhoods:referent_community", args=[membership.community_id])


def decide(client, membership_id, follow=False, **data):
    return client.post(reverse("neighbourhoods:membership_decide", args=[membership_id]), data, follow=follow)


def test_approving_redirects_to_the_community_page_and_saves(client, referent, pending):
    client.force_login(referent)

    response = decide(client, pending.id, decision="approve", message="Bienvenue")

    assert response.status_code == 302
    assert response["Location"] == community_page(pending)
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    assert pending.decision_message == "Bienvenue"


def test_rejecting_saves_the_rejection(client, referent, pending):
    client.force_login(referent)

    decide(client, pending.id, decision="reject", message="Hors secteur")

    pending.refresh_from_db()
    assert pending.status == Status.REJECTED
    assert pending.decision_message == "Hors secteur"


@pytest.mark.parametrize("decision", ["", "maybe", "APPROVE"])
def test_bad_decision_value_shows_a_clear_error_and_saves_nothing(client, referent, pending, decision):
    client.force_login(referent)

    response = decide(client, pending.id, decision=decision, message="x", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(community_page(pending), 302)]
    assert escape(page_language("Choose to approve or reject the request.")) in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert pending.decision_message == ""


def test_bad_decision_value_on_a_tampered_id_gets_404(client, referent, pending):
    client.force_login(referent)

    assert decide(client, pending.id + 10_000, decision="maybe").status_code == 404


def test_bad_decision_value_from_another_referent_gets_404(client, pending):
    client.force_login(ReferentFactory().user)

    assert decide(client, pending.id, decision="maybe").status_code == 404


def test_deciding_twice_shows_that_it_is_already_approved_beside_the_list(client, referent, pending):
    client.force_login(referent)
    decide(client, pending.id, decision="approve")

    response = decide(client, pending.id, decision="reject", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(community_page(pending), 302)]
    assert escape(page_language("This request has already been approved.")) in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED


def test_approving_a_withdrawn_request_says_so(client, referent, pending):
    pending.status = Status.WITHDRAWN
    pending.save()
    client.force_login(referent)

    response = decide(client, pending.id, decision="approve", follow=True)

    assert escape(page_language("This request was withdrawn by the resident.")) in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.WITHDRAWN


def test_tampered_membership_id_gets_404(client, referent, pending):
    client.force_login(referent)

    assert decide(client, pending.id + 10_000, decision="approve").status_code == 404


@pytest.mark.parametrize("who", ["resident", "outsider", "other_referent", "pending_resident"])
def test_anyone_but_the_neighbourhoods_referent_gets_404(client, request, pending, who):
    user = ReferentFactory().user if who == "other_referent" else request.getfixturevalue(who)
    client.force_login(user)

    assert decide(client, pending.id, decision="approve").status_code == 404
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_get_is_not_allowed(client, referent, pending):
    client.force_login(referent)

    assert client.get(reverse("neighbourhoods:membership_decide", args=[pending.id])).status_code == 405


def test_visitor_is_sent_to_log_in(client, pending):
    response = decide(client, pending.id, decision="approve")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_approval_from_the_page_emails_the_resident_once(
    client, referent, pending, run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(referent)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, pending.id, decision="approve", message="Bienvenue")

    assert [m.to for m in mailoutbox] == [[pending.user.email]]
    assert "Bienvenue" in mailoutbox[0].body


def test_members_of_the_decided_community_are_untouched(client, referent, community, pending):
    other = MembershipFactory(community=community, status=Status.PENDING)
    client.force_login(referent)

    decide(client, pending.id, decision="approve")

    other.refresh_from_db()
    assert other.status == Status.PENDING
