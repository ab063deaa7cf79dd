"""alert_flag: a member may say once that an alert is unfounded; the referent sees it."""

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from alerts.models import Alert, AlertFlag
from alerts.services.moderation import alert_flag
from alerts.tests.factories import AlertFactory, PoliceOfficerFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(community, resident):
    return AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])


@pytest.fixture
def neighbour(community):
    return MembershipFactory(community=community).user


def test_member_flags_an_alert_with_a_reason(alert, neighbour):
    flag = alert_flag(user=neighbour, alert_id=alert.id, reason="  C'était le facteur.  ")
    assert flag.alert == alert and flag.user == neighbour
    assert flag.reason == "C'était le facteur."


def test_a_second_flag_by_the_same_member_is_refused(alert, neighbour):
    alert_flag(user=neighbour, alert_id=alert.id)
    with pytest.raises(ValidationError):
        alert_flag(user=neighbour, alert_id=alert.id, reason="encore")
    assert AlertFlag.objects.filter(alert=alert).count() == 1


def test_author_cannot_flag_their_own_alert(alert, resident):
    with pytest.raises(ValidationError):
        alert_flag(user=resident, alert_id=alert.id)
    assert not AlertFlag.objects.exists()


@pytest.mark.parametrize(
    "kind, status",
    [
        (Alert.Kind.POLICE, Alert.Status.PUBLISHED),
        (Alert.Kind.MEMBER, Alert.Status.WITHDRAWN),
    ],
)
def test_only_a_published_report_by_a_member_can_be_flagged(community, resident, neighbour, kind, status):
    """Members see police warnings and withdrawn alerts; flagging them means nothing."""
    author = PoliceOfficerFactory(official_commune=community.neighbourhood.commune)
    if kind == Alert.Kind.MEMBER:
        author = resident
    alert = AlertFactory(
        kind=kind,
        status=status,
        author=author,
        commune=community.neighbourhood.commune,
        communities=[community],
    )
    with pytest.raises(ValidationError) as refused:
        alert_flag(user=neighbour, alert_id=alert.id)
    assert refused.value.code == "not_flaggable"
    assert not AlertFlag.objects.exists()


def test_a_referent_cannot_flag_an_alert_waiting_for_approval(community, resident, referent):
    alert = AlertFactory(
        status=Alert.Status.PENDING,
        published_at=None,
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
    )
    with pytest.raises(ValidationError):
        alert_flag(user=referent, alert_id=alert.id)
    assert not AlertFlag.objects.exists()


def test_outsider_gets_404(alert, outsider):
    with pytest.raises(NotFound):
        alert_flag(user=outsider, alert_id=alert.id)
    assert not AlertFlag.objects.exists()


def test_pending_member_gets_404(alert, pending_resident):
    with pytest.raises(NotFound):
        alert_flag(user=pending_resident, alert_id=alert.id)


def test_flag_view_records_the_flag_and_a_second_post_shows_an_error(client, alert, neighbour):
    client.force_login(neighbour)
    url = f"/alerts/{alert.id}/flag/"
    response = client.post(url, {"reason": "Rien d'anormal"}, follow=True)
    assert response.status_code == 200
    assert AlertFlag.objects.filter(alert=alert, user=neighbour).count() == 1
    response = client.post(url, {"reason": "encore"}, follow=True)
    assert AlertFlag.objects.filter(alert=alert, user=neighbour).count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_flag_view_answers_404_to_an_outsider(client, alert, outsider):
    client.force_login(outsider)
    assert client.post(f"/alerts/{alert.id}/flag/", {"reason": "x"}).status_code == 404
    assert not AlertFlag.objects.exists()


def test_referent_sees_the_number_of_flags_on_the_moderation_page(client, alert, referent, community):
    for _ in range(2):
        alert_flag(user=MembershipFactory(community=community).user, alert_id=alert.id)
    client.force_login(referent)
    response = client.get("/referent/alerts/")
    assert response.status_code == 200
    listed = {a.id: a.flag_count for a in response.context["alerts"]}
    assert listed[alert.id] == 2
    assert '<span class="badge badge-rejected">2 ' in response.content.decode()


def test_moderation_page_of_another_referent_does_not_list_the_alert(client, alert, other_community):
    from neighbourhoods.tests.factories import ReferentFactory

    stranger = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    client.force_login(stranger)
    response = client.get("/referent/alerts/")
    assert alert.id not in {a.id for a in response.context["alerts"]}
    assert alert.description not in response.content.decode()
