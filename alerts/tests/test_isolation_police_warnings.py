"""Isolation of police warnings and notices from referents, and of each neighbourhood's reports
from the referents of the others: whatever a referent posts to /referent/alerts/<id>/<action>/
for an alert they do not moderate, the answer is 404 and nothing changes, nobody is told, no
moderation log shows anything; their moderation page does not list it."""

import pytest
from django.core import mail

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish, police_alert_publish
from alerts.tests.factories import PoliceOfficerFactory
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import (
    CommunityFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    ReferentFactory,
)

pytestmark = pytest.mark.django_db

# (action, reason): an empty reason too, so that no check answers before the 404 does.
ACTIONS = [
    ("withdraw", "Fausse alerte"),
    ("approve", "Fausse alerte"),
    ("reject", "Fausse alerte"),
    ("reject", ""),
]
ALERTS = ["warning_to_commune", "warning_to_one_community", "notice_to_commune", "report", "pending_report"]
# Referents of the commune's other neighbourhoods, of the alert's own neighbourhood, elsewhere.
REFERENTS = ["of_two_other_neighbourhoods", "of_the_alerts_own_neighbourhood", "of_another_commune"]


@pytest.fixture
def town(community, other_community):
    """A commune of three neighbourhoods (`community`'s, B and C), a member in each community."""
    commune = community.neighbourhood.commune
    b = CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=commune))
    c = CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=commune))
    for place in (community, b, c, other_community):
        MembershipFactory(community=place)
    two_other = ReferentFactory(neighbourhood=b.neighbourhood).user
    ReferentFactory(neighbourhood=c.neighbourhood, user=two_other)
    return {
        "communities": [community, b, c],
        "referents": {
            "of_two_other_neighbourhoods": two_other,
            "of_the_alerts_own_neighbourhood": ReferentFactory(neighbourhood=community.neighbourhood).user,
            "of_another_commune": ReferentFactory(neighbourhood=other_community.neighbourhood).user,
        },
    }


@pytest.fixture
def alerts(town, community, resident, run_tasks, django_capture_on_commit_callbacks, sms_outbox):
    """One alert of each kind, sent to everyone it targets, so that a withdrawal would tell them."""
    officer = PoliceOfficerFactory(official_commune=community.neighbourhood.commune)

    def police(kind, communities, description):
        return police_alert_publish(
            officer=officer,
            kind=kind,
            communities=communities,
            category=Alert.Category.SCAM,
            urgency=Alert.Urgency.URGENT,
            description=description,
        )

    def report(description):
        return alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.SUSPICIOUS_VEHICLE,
            urgency=Alert.Urgency.URGENT,
            description=description,
            street="rue des Lilas",
        )

    everywhere = town["communities"]
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            "warning_to_commune": police(Alert.Kind.POLICE, everywhere, "Faux agents du gaz en ville."),
            "warning_to_one_community": police(Alert.Kind.POLICE, [community], "Vols de vélos au centre."),
            "notice_to_commune": police(Alert.Kind.NOTICE, everywhere, "Repérages signalés la nuit."),
            "report": report("Camionnette grise, trois passages."),
        }
        community.alerts_need_approval = True
        community.save()
        made["pending_report"] = report("Scooter sans plaque devant l'école.")
    assert made["warning_to_commune"].deliveries.filter(status=Delivery.Status.SENT).count() >= 8
    sms_outbox.clear()
    mail.outbox.clear()
    return made


def snapshot(alert):
    alert.refresh_from_db()
    return (
        alert.status,
        alert.moderated_by_id,
        alert.moderation_reason,
        list(alert.deliveries.order_by("id").values_list("id", "purpose", "status")),
        list(ModerationEntry.objects.order_by("id").values_list("id", flat=True)),
    )


def cases():
    for alert in ALERTS:
        for referent in REFERENTS:
            if alert.endswith("report") and referent == "of_the_alerts_own_neighbourhood":
                continue  # the one case a referent moderates
            for action, reason in ACTIONS:
                name = f"{alert}-{referent}-{action}{'' if reason else '-without-reason'}"
                yield pytest.param(alert, referent, action, reason, id=name)


@pytest.mark.parametrize(("alert_name", "referent_name", "action", "reason"), list(cases()))
def test_a_referent_acting_on_an_alert_they_do_not_moderate_gets_404_and_changes_nothing(
    client,
    town,
    alerts,
    alert_name,
    referent_name,
    action,
    reason,
    run_tasks,
    django_capture_on_commit_callbacks,
    sms_outbox,
):
    alert = alerts[alert_name]
    before = snapshot(alert)
    client.force_login(town["referents"][referent_name])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/referent/alerts/{alert.id}/{action}/", {"reason": reason})
    assert response.status_code == 404
    assert snapshot(alert) == before
    assert sms_outbox == [] and mail.outbox == []


@pytest.mark.parametrize("referent_name", REFERENTS)
def test_the_moderation_page_lists_no_police_warning_or_notice_nor_another_neighbourhoods_reports(
    client, town, alerts, referent_name
):
    client.force_login(town["referents"][referent_name])
    response = client.get("/referent/alerts/", {"show": "published"})  # unflagged ones too
    assert response.status_code == 200
    page = response.content.decode()
    moderates = referent_name == "of_the_alerts_own_neighbourhood"
    for name, alert in alerts.items():
        listed = moderates and name.endswith("report")
        assert (alert.description.replace("'", "&#x27;") in page) is listed, name
        assert (f"/referent/alerts/{alert.id}/" in page) is listed, name


def test_the_referent_of_the_reports_neighbourhood_still_withdraws_it(
    client, town, alerts, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    """The control: the same request from the one referent who moderates the report works."""
    report = alerts["report"]
    client.force_login(town["referents"]["of_the_alerts_own_neighbourhood"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/referent/alerts/{report.id}/withdraw/", {"reason": "Erreur"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Alert.Status.WITHDRAWN
    assert sms_outbox
