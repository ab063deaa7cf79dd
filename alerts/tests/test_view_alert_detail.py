"""/alerts/<id>/: an alert for the members of its communities; delivery counts for its author,
the referent and the police only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from alerts.models import Alert, AlertFlag, Delivery
from alerts.tests.factories import AlertFactory, DeliveryFactory, PoliceOfficerFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(community, resident):
    alert = AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description="Quelqu'un relève les noms sur les boîtes aux lettres.",
    )
    for status in (Delivery.Status.SENT, Delivery.Status.SENT, Delivery.Status.FAILED):
        DeliveryFactory(alert=alert, recipient=MembershipFactory(community=community).user, status=status)
    return alert


def detail_url(alert):
    return reverse("alerts:detail", args=[alert.id])


def test_member_sees_the_alert(client, community, alert):
    client.force_login(MembershipFactory(community=community).user)
    response = client.get(detail_url(alert))
    assert response.status_code == 200
    assert "relève les noms" in response.content.decode()


def test_visitor_gets_404_with_a_way_to_log_in(client, alert):
    response = client.get(detail_url(alert))
    assert response.status_code == 404
    assert "relève les noms" not in response.content.decode()
    assert reverse("account_login") in response.content.decode()


def test_pending_member_gets_404(client, alert, pending_resident):
    client.force_login(pending_resident)
    assert client.get(detail_url(alert)).status_code == 404


def test_member_of_another_community_gets_404(client, alert, outsider):
    client.force_login(outsider)
    assert client.get(detail_url(alert)).status_code == 404


def test_logged_in_non_member_gets_404(client, alert):
    client.force_login(UserFactory())
    assert client.get(detail_url(alert)).status_code == 404


def test_short_link_leads_to_the_alert(client, alert):
    response = client.get(f"/a/{alert.id}")
    assert response.status_code == 302
    assert response["Location"] == detail_url(alert)


@pytest.mark.parametrize("who", ["author", "referent", "police"])
def test_author_referent_and_police_see_delivery_counts(client, request, community, alert, who):
    user = {
        "author": lambda: alert.author,
        "referent": lambda: request.getfixturevalue("referent"),
        "police": lambda: PoliceOfficerFactory(official_commune=community.neighbourhood.commune),
    }[who]()
    client.force_login(user)
    response = client.get(detail_url(alert))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="sms-sent">2<' in html
    assert 'data-count="sms-failed">1<' in html
    assert 'data-count="email-sent">0<' in html


def test_plain_member_does_not_see_delivery_counts(client, community, alert):
    client.force_login(MembershipFactory(community=community).user)
    response = client.get(detail_url(alert))
    assert "progress" not in response.context
    assert "data-count=" not in response.content.decode()


def test_police_of_another_commune_gets_404(client, alert, other_community):
    client.force_login(PoliceOfficerFactory(official_commune=other_community.neighbourhood.commune))
    assert client.get(detail_url(alert)).status_code == 404


def test_html_in_description_and_street_is_escaped(client, community, resident):
    alert = AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description='<script>alert("detail")</script>\nligne 2',
        street="<iframe src=//evil>",
    )
    client.force_login(MembershipFactory(community=community).user)
    html = client.get(detail_url(alert)).content.decode()
    assert "<script>alert(" not in html
    assert "<iframe" not in html
    assert "&lt;script&gt;alert(&quot;detail&quot;)&lt;/script&gt;<br>ligne 2" in html
    assert "&lt;iframe src=//evil&gt;" in html


@pytest.mark.parametrize(
    "kind, status, shown",
    [
        (Alert.Kind.MEMBER, Alert.Status.PUBLISHED, True),
        (Alert.Kind.MEMBER, Alert.Status.WITHDRAWN, False),
        (Alert.Kind.POLICE, Alert.Status.PUBLISHED, False),
    ],
)
def test_the_flag_form_is_offered_where_the_flag_service_accepts_it(client, community, kind, status, shown):
    alert = AlertFactory(
        kind=kind, status=status, commune=community.neighbourhood.commune, communities=[community]
    )
    client.force_login(MembershipFactory(community=community).user)
    response = client.get(detail_url(alert))
    assert response.context["can_flag"] is shown
    assert (reverse("alerts:flag", args=[alert.id]) in response.content.decode()) is shown


def test_the_author_is_not_offered_to_flag_their_own_alert(client, alert):
    client.force_login(alert.author)
    response = client.get(detail_url(alert))
    assert response.context["can_flag"] is False
    assert reverse("alerts:flag", args=[alert.id]) not in response.content.decode()


REFRESH = '<meta http-equiv="refresh"'


def test_the_page_refreshes_while_sent_messages_may_still_be_confirmed(client, alert):
    """SMS sent a moment ago: their receipts may still come."""
    client.force_login(alert.author)
    response = client.get(detail_url(alert))
    assert response.context["refresh"] is True
    assert REFRESH in response.content.decode()


def test_the_page_stops_refreshing_once_every_delivery_is_final(client, alert):
    """The SMS were sent over ten minutes ago (no receipt is waited for any longer), an email
    is final once sent: nothing will change without a reload."""
    long_ago = timezone.now() - timedelta(minutes=11)
    alert.deliveries.update(sent_at=long_ago, updated_at=long_ago)
    DeliveryFactory(
        alert=alert,
        recipient=MembershipFactory(community=alert.communities.get()).user,
        channel=Delivery.Channel.EMAIL,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
    )
    client.force_login(alert.author)
    response = client.get(detail_url(alert))
    assert response.context["refresh"] is False
    assert REFRESH not in response.content.decode()


def test_the_page_refreshes_while_a_message_is_queued(client, alert):
    alert.deliveries.update(sent_at=timezone.now() - timedelta(minutes=11))
    DeliveryFactory(alert=alert, recipient=MembershipFactory(community=alert.communities.get()).user)
    client.force_login(alert.author)
    assert REFRESH in client.get(detail_url(alert)).content.decode()


def test_queued_sending_waiting_stuck_and_checking_are_told_apart(client, settings, community, alert):
    settings.DELIVERY_STUCK_AFTER = 60
    rows = {
        "queued": {"status": Delivery.Status.QUEUED},
        "sending": {"status": Delivery.Status.SENDING, "attempts": 1},
        "waiting": {
            "status": Delivery.Status.QUEUED,
            "attempts": 1,
            "not_before": timezone.now() + timedelta(seconds=40),
        },
        "stuck": {"status": Delivery.Status.SENDING, "attempts": 1},
        "checking": {"status": Delivery.Status.CHECKING, "attempts": 1},
    }
    made = {
        name: DeliveryFactory(alert=alert, recipient=MembershipFactory(community=community).user, **fields)
        for name, fields in rows.items()
    }
    Delivery.objects.filter(id=made["stuck"].id).update(updated_at=timezone.now() - timedelta(seconds=90))
    client.force_login(alert.author)
    html = client.get(detail_url(alert)).content.decode()
    for key in ("queued", "sending", "waiting_retry", "stuck", "checking"):
        assert f'data-count="sms-{key}">1<' in html
    assert 'data-count="sms-sent">2<' in html
    assert 'data-count="sms-total">8<' in html
    assert "repris automatiquement dans la minute" in html  # what "stuck" means (in French)
    assert 'data-count="sms-scheduled"' not in html  # shown only when some wait for quiet hours
    assert 'data-count="sms-cancelled"' not in html


def test_deliveries_held_by_quiet_hours_have_their_column(client, community, alert):
    DeliveryFactory(
        alert=alert,
        recipient=MembershipFactory(community=community).user,
        status=Delivery.Status.SCHEDULED,
        not_before=timezone.now() + timedelta(hours=3),
    )
    client.force_login(alert.author)
    html = client.get(detail_url(alert)).content.decode()
    assert 'data-count="sms-scheduled">1<' in html
    assert 'data-count="email-scheduled">0<' in html
    assert 'data-count="sms-queued">0<' in html


def test_a_plain_member_s_page_never_refreshes(client, community, alert):
    client.force_login(MembershipFactory(community=community).user)
    assert REFRESH not in client.get(detail_url(alert)).content.decode()


def test_the_referent_reads_why_and_when_members_flagged_it(client, community, alert, referent):
    flagger = MembershipFactory(community=community).user
    AlertFlag.objects.create(alert=alert, user=flagger, reason="Le facteur relève son courrier")
    client.force_login(referent)
    html = client.get(detail_url(alert)).content.decode()
    assert "Le facteur relève son courrier" in html and "data-flag" in html
    assert flagger.last_name not in html


def test_members_do_not_see_the_flags(client, community, alert):
    AlertFlag.objects.create(
        alert=alert, user=MembershipFactory(community=community).user, reason="Le facteur"
    )
    client.force_login(MembershipFactory(community=community).user)
    html = client.get(detail_url(alert)).content.decode()
    assert "data-flag" not in html and "Le facteur" not in html
