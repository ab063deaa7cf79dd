"""police_alert_publish: only police officers, only their commune; a notice reaches referents only."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from alerts.models import Alert, Delivery
from alerts.services.moderation import alert_flag
from alerts.services.publishing import police_alert_publish, police_targets
from alerts.tests.factories import PoliceOfficerFactory
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(community):
    return PoliceOfficerFactory(official_commune=community.neighbourhood.commune)


def publish(officer, communities, kind=Alert.Kind.POLICE, **overrides):
    fields = {
        "category": Alert.Category.SCAM,
        "urgency": Alert.Urgency.VIGILANCE,
        "description": "De faux agents du gaz se présentent chez les personnes âgées.",
        "street": "",
    }
    return police_alert_publish(
        officer=officer, kind=kind, communities=communities, **{**fields, **overrides}
    )


@pytest.mark.parametrize(
    "who", ["resident", "referent", "mayor_office", "staff_without_group", "police_without_commune"]
)
def test_anyone_but_a_police_officer_is_refused(request, community, who):
    if who == "staff_without_group":
        user = UserFactory(is_staff=True, official_commune=community.neighbourhood.commune)
    elif who == "police_without_commune":
        user = PoliceOfficerFactory(official_commune=None)
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        publish(user, [community])
    with pytest.raises(PermissionDenied):
        police_targets(officer=user, whole_commune=True)
    assert not Alert.objects.exists()


def test_a_community_of_another_commune_is_refused(officer, community, other_community):
    with pytest.raises(ValidationError):
        publish(officer, [community, other_community])
    with pytest.raises(ValidationError):
        police_targets(officer=officer, community_ids=[other_community.id])
    assert not Alert.objects.exists()


def test_a_warning_reaches_the_members_but_not_the_officer(officer, community, resident, referent):
    alert = publish(officer, [community])
    assert set(alert.deliveries.values_list("recipient_id", flat=True)) == {resident.id}


def test_a_notice_goes_to_the_referents_of_the_target_communities_only(
    officer,
    community,
    resident,
    referent,
    other_community,
    outsider,
    run_tasks,
    django_capture_on_commit_callbacks,
    sms_outbox,
):
    ReferentFactory(neighbourhood=other_community.neighbourhood)  # not targeted
    MembershipFactory(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(officer, [community], kind=Alert.Kind.NOTICE)
    assert set(notice.deliveries.values_list("recipient_id", flat=True)) == {referent.id}
    assert [m["to"] for m in sms_outbox] == [str(referent.phone)]
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert set(notice.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_members_get_404_on_a_notice_and_do_not_see_it_in_their_feed(
    client, officer, community, resident, referent, outsider
):
    notice = publish(
        officer, [community], kind=Alert.Kind.NOTICE, description="Confidentiel : surveillance en cours"
    )
    for user in (resident, outsider):
        client.force_login(user)
        assert client.get(f"/alerts/{notice.id}/").status_code == 404
    client.force_login(resident)
    feed = client.get(f"/communities/{community.id}/alerts/")
    assert "Confidentiel" not in feed.content.decode()
    client.force_login(referent)
    assert client.get(f"/alerts/{notice.id}/").status_code == 200
    moderation = client.get("/referent/alerts/")
    assert notice in list(moderation.context["notices"])


def test_referent_of_another_neighbourhood_gets_404_on_a_notice(client, officer, community, other_community):
    notice = publish(officer, [community], kind=Alert.Kind.NOTICE)
    stranger = ReferentFactory(neighbourhood=other_community.neighbourhood).user
    client.force_login(stranger)
    assert client.get(f"/alerts/{notice.id}/").status_code == 404


def test_a_notice_cannot_be_withdrawn_or_flagged_by_members(officer, community, resident):

    notice = publish(officer, [community], kind=Alert.Kind.NOTICE)
    with pytest.raises(NotFound):
        alert_flag(user=resident, alert_id=notice.id)


def test_an_unknown_kind_is_refused(officer, community):
    with pytest.raises(ValidationError):
        publish(officer, [community], kind=Alert.Kind.MEMBER)
    assert not Alert.objects.exists()


def test_a_message_that_cannot_be_sent_whole_is_refused_by_the_service_too(officer, community, resident):
    """Not only the admin form: any caller of the service."""
    from alerts.messages import POLICE_MESSAGE_MAX

    with pytest.raises(ValidationError) as refused:
        publish(officer, [community], description="x" * (POLICE_MESSAGE_MAX + 1))
    assert refused.value.code == "too_long_for_sms"
    assert not Alert.objects.exists() and not Delivery.objects.exists()


def test_a_notice_keeps_room_for_its_confidential_mark(officer, community, referent):
    from alerts.messages import POLICE_MESSAGE_MAX, police_message_max

    allowed = police_message_max(Alert.Kind.NOTICE)
    assert allowed < POLICE_MESSAGE_MAX
    with pytest.raises(ValidationError) as refused:
        publish(officer, [community], kind=Alert.Kind.NOTICE, description="x" * (allowed + 1))
    assert refused.value.code == "too_long_for_sms"
    assert publish(officer, [community], kind=Alert.Kind.NOTICE, description="x" * allowed).kind == "notice"


def test_a_warning_whose_sms_is_not_the_one_read_is_not_kept(officer, community, resident):
    from alerts.services.publishing import police_sms_preview

    fields = {
        "kind": Alert.Kind.POLICE,
        "category": Alert.Category.SCAM,
        "urgency": Alert.Urgency.VIGILANCE,
        "description": "De faux agents du gaz se présentent chez les personnes âgées.",
        "street": "",
    }
    read = police_sms_preview(officer=officer, **fields)
    with pytest.raises(ValidationError) as refused:
        police_alert_publish(officer=officer, communities=[community], sms_read=read + " ", **fields)
    assert refused.value.code == "sms_changed"
    assert not Alert.objects.exists() and not Delivery.objects.exists()

    read = police_sms_preview(officer=officer, **fields)  # read again: the refused one used a number
    alert = police_alert_publish(officer=officer, communities=[community], sms_read=read, **fields)
    assert alert.deliveries.filter(channel=Delivery.Channel.SMS).exists()
