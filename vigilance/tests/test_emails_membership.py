"""The membership emails: each renders a one-line subject, a text body and an HTML body."""

import pytest
from django.core import mail

from neighbourhoods import notifications
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
EVENTS = {
    "requested": Membership.Status.PENDING,
    "approved": Membership.Status.APPROVED,
    "rejected": Membership.Status.REJECTED,
    "removed": Membership.Status.REMOVED,
}


@pytest.fixture
def community():
    community = CommunityFactory(name="L'Étang & les Prés")
    ReferentFactory(neighbourhood=community.neighbourhood)
    return community


def sent(event: str, **membership_fields) -> mail.EmailMessage:
    fields = {"status": EVENTS[event], "decision_message": "C'est noté.", **membership_fields}
    membership = MembershipFactory(**fields)
    for to in notifications.membership_recipients(membership_id=membership.id, event=event):
        notifications.membership_email(membership_id=membership.id, event=event, to=to)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.parametrize("event", EVENTS)
def test_each_email_has_a_one_line_subject_a_text_and_an_html_body(community, event):
    email = sent(event, community=community)

    assert email.subject.strip()
    assert "\n" not in email.subject
    assert community.name in email.subject
    assert email.body.strip()
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert html.lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("event", EVENTS)
def test_html_escapes_a_name_like_a_script_tag(community, event):
    email = sent(event, community=community, user__first_name=SCRIPT, user__last_name=SCRIPT, street=SCRIPT)

    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "L&#x27;Étang &amp; les Prés" in html


@pytest.mark.parametrize("event", EVENTS)
def test_text_and_subject_show_apostrophes_and_ampersands_as_typed(community, event):
    email = sent(event, community=community, user__first_name="D'Artagnan", user__last_name="O'Brien")

    for text in (email.subject, email.body):
        assert "&#x27;" not in text
        assert "&amp;" not in text
        assert "L'Étang & les Prés" in text


@pytest.mark.parametrize("event", ["approved", "rejected", "removed"])
def test_decisions_quote_the_referents_message(community, event):
    email = sent(event, community=community, decision_message="Rendez-vous à l'accueil <mairie>.")

    assert "Rendez-vous à l'accueil <mairie>." in email.body
    assert "Rendez-vous à l&#x27;accueil &lt;mairie&gt;." in email.alternatives[0][0]


def test_the_request_email_names_the_resident_and_links_to_the_referent_page(community):
    email = sent("requested", community=community, user__first_name="D'Artagnan", street="rue de l'Église")

    assert "D'Artagnan" in email.body
    assert "rue de l'Église" in email.body
    assert f"/referent/communities/{community.id}/" in email.body
    assert email.body.count("http://testserver/referent/") == 1


def test_the_approval_email_links_to_the_directory(community):
    email = sent("approved", community=community)

    assert f"http://testserver/communities/{community.id}/directory/" in email.body
    assert f'href="http://testserver/communities/{community.id}/directory/"' in email.alternatives[0][0]
