"""Each community's moderation log: what was decided and why, for its members only."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import UserFactory, enable_totp
from alerts.models import Alert
from alerts.services.moderation import alert_withdraw
from alerts.services.publishing import alert_publish
from neighbourhoods import services
from neighbourhoods.models import Membership, ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def log_url(community):
    return reverse("neighbourhoods:moderation_log", args=[community.id])


def test_approvals_removals_and_alert_withdrawals_are_logged_with_reason(
    client, community, referent, resident
):
    joining = MembershipFactory(community=community, status=Membership.Status.PENDING, decided_at=None)
    services.membership_decide(referent=referent, membership_id=joining.id, approve=True)
    leaving = MembershipFactory(community=community)
    services.membership_remove(referent=referent, membership_id=leaving.id, reason="Propos insultants")
    alert = alert_publish(
        author=resident,
        community_id=community.id,
        category="vehicle",
        urgency="vigilance",
        description="Voiture suspecte",
        street="rue des Lilas",
    )
    alert_withdraw(referent=referent, alert_id=alert.id, reason="Voiture du facteur")

    client.force_login(resident)
    response = client.get(log_url(community))
    assert response.status_code == 200
    page = response.content.decode()
    assert joining.user.get_full_name() in page
    assert "Propos insultants" in page and "Voiture du facteur" in page
    actions = list(ModerationEntry.objects.filter(community=community).values_list("action", flat=True))
    assert set(actions) == {"approved", "removed", "alert_withdrawn"}
    assert all(e.actor == referent for e in ModerationEntry.objects.all())


def test_a_rejected_residents_name_and_message_stay_private(client, community, referent, resident):
    rejected = MembershipFactory(
        community=community,
        status=Membership.Status.PENDING,
        decided_at=None,
        user__last_name="Refusé-Introuvable",  # a name no other person on the page can share
    )
    services.membership_decide(
        referent=referent, membership_id=rejected.id, approve=False, message="Adresse hors quartier"
    )
    client.force_login(resident)
    page = client.get(log_url(community)).content.decode()
    assert 'data-action="rejected"' in page
    assert rejected.user.last_name not in page and "Adresse hors quartier" not in page


def test_police_warnings_are_logged_and_recorded_in_the_admin_log(client, community, resident):
    officer = UserFactory(
        is_staff=True, official_role="police", official_commune=community.neighbourhood.commune
    )
    enable_totp(officer)
    client.force_login(officer)
    response = client.post(
        reverse("admin:alerts_alert_add"),
        {
            "kind": "police",
            "communities": [community.id],
            "category": "scam",
            "urgency": "urgent",
            "description": "Faux agents des eaux",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    alert = Alert.objects.get(kind="police")
    assert ModerationEntry.objects.filter(
        community=community, action="police_warning", actor=officer
    ).exists()
    entry = LogEntry.objects.get(object_id=str(alert.id))
    assert entry.user == officer


@pytest.mark.parametrize("who", ["pending_resident", "outsider"])
def test_non_members_get_404(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(log_url(community)).status_code == 404


def test_visitor_gets_404(client, community):
    assert client.get(log_url(community)).status_code == 404


def reject(community, referent, *, last_name="Refusé-Introuvable", message="Adresse hors quartier"):
    rejected = MembershipFactory(
        community=community, status=Membership.Status.PENDING, decided_at=None, user__last_name=last_name
    )
    services.membership_decide(referent=referent, membership_id=rejected.id, approve=False, message=message)
    return rejected


def test_the_referent_reads_a_rejected_requests_name_and_reason(client, community, referent):
    rejected = reject(community, referent)
    client.force_login(referent)  # referent of the neighbourhood, not a member of the community
    response = client.get(log_url(community))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(rejected.user.get_full_name()) in page and "Adresse hors quartier" in page


def test_platform_staff_read_the_log_of_any_community(client, community, referent):
    rejected = reject(community, referent)
    staff = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(staff)
    client.force_login(staff)
    assert escape(rejected.user.get_full_name()) in client.get(log_url(community)).content.decode()


def test_a_referent_of_another_neighbourhood_gets_404(client, community, other_community):
    other_referent = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    client.force_login(other_referent)
    assert client.get(log_url(community)).status_code == 404


def test_the_log_title_says_of_the_name_as_french_writes_it(client, resident):
    community = resident.memberships.get().community
    community.name = "Autour de l'église"
    community.save(update_fields=["name"])
    client.force_login(resident)
    page = client.get(log_url(community), headers={"accept-language": "fr"}).content.decode()
    assert escape("d'Autour de l'église") + "</h1>" in page
