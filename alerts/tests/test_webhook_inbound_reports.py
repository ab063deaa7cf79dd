"""A member reports by SMS: the text becomes an alert of their community through the web
form's service, and the reply says what happened; the webhook answers each message once."""

import itertools
import re
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from alerts.models import Alert, Delivery, InboundSms, SmsReportDraft
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TOKEN = "webhook-test-token"
SITE_URL = "https://vigilance.example.fr"
_sids = itertools.count(1)


@pytest.fixture(autouse=True)
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = SITE_URL
    settings.LANGUAGE_CODE = "en"  # replies are checked in English; test_inbound_replies covers French


def post(client, data, token=TOKEN):
    url = reverse("alerts:twilio_inbound")
    signature = RequestValidator(token).compute_signature(SITE_URL + url, data)
    return client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)


def sms(client, sender, body, *, sid=None) -> str:
    """Posts an inbound SMS as Twilio does; returns the reply ("" for none)."""
    data = {"MessageSid": sid or f"SM{next(_sids):032d}", "From": str(sender.phone), "Body": body}
    response = post(client, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    message = root.find("Message")
    return message.text if message is not None else ""


def test_a_members_sms_is_published_to_their_community_and_fanned_out(
    client, community, resident, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    neighbour = MembershipFactory(community=community).user
    with django_capture_on_commit_callbacks(execute=True):
        reply = sms(client, resident, "ALERTE Camionnette blanche qui tourne rue des Lilas")

    alert = Alert.objects.get()
    assert (alert.author, alert.status, alert.kind) == (resident, Alert.Status.PUBLISHED, Alert.Kind.MEMBER)
    assert (alert.category, alert.urgency, alert.street) == ("other", "vigilance", "")
    assert alert.description == "Camionnette blanche qui tourne rue des Lilas"
    assert list(alert.communities.all()) == [community]
    assert [m["to"] for m in sms_outbox] == [str(neighbour.phone)]  # the fan-out ran, as for the form
    assert alert.deliveries.filter(recipient=neighbour, status=Delivery.Status.SENT).count() == 2
    assert "published" in reply and community.name in reply and "17" in reply


def test_text_without_the_keyword_is_a_report_too(client, community, resident):
    sms(client, resident, "Deux hommes regardent les boites aux lettres, chemin du Moulin")
    assert Alert.objects.get().description == "Deux hommes regardent les boites aux lettres, chemin du Moulin"


def test_in_a_community_that_needs_approval_the_report_waits_for_the_referent(
    client, community, resident, referent, django_capture_on_commit_callbacks
):
    community.alerts_need_approval = True
    community.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = sms(client, resident, "alert suspicious car parked for hours")

    alert = Alert.objects.get()
    assert alert.status == Alert.Status.PENDING and alert.description == "suspicious car parked for hours"
    assert not alert.deliveries.exists()
    assert len(callbacks) == 1  # the referents are told, as for the web form
    assert "referent" in reply and "17" in reply


@pytest.mark.parametrize(
    "body, why",
    [
        ("ALERTE cambriolage au 12 rue des Lilas", "house number"),
        ("Voiture suspecte rue des Lilas 14bis", "house number"),
        ("ALERTE", "Describe"),
        ("alerte :  ", "Describe"),
        ("x" * 2001, "too long"),
    ],
)
def test_a_report_breaking_the_rules_is_refused_with_why_and_nothing_is_saved(
    client, community, resident, body, why
):
    reply = sms(client, resident, body)
    assert why in reply
    assert not Alert.objects.exists() and not SmsReportDraft.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "Voiture passée 3 fois rue des Lilas vers 22h",
        "Rodeur rue du 8 Mai 1945, 2 hommes",
        "Démarcheur RN 137 puis avenue de la 2e DB",
    ],
)
def test_numbers_that_are_not_house_numbers_are_accepted(client, community, resident, body):
    sms(client, resident, body)
    assert Alert.objects.get().description == body


def test_a_member_of_several_communities_is_asked_which_then_answers_by_number(client, community, resident):
    bourg = CommunityFactory(name="Le Bourg")
    MembershipFactory(community=bourg, user=resident)
    community.name = "Les Lilas"
    community.save()

    question = sms(client, resident, "ALERTE portail force chemin creux")
    assert not Alert.objects.exists()
    assert re.search(r"1 Le Bourg 2 Les Lilas.*number", question), question

    again = sms(client, resident, "7")  # not in the list: asked again
    assert again == question and not Alert.objects.exists()

    reply = sms(client, resident, "2")
    alert = Alert.objects.get()
    assert list(alert.communities.all()) == [community] and alert.description == "portail force chemin creux"
    assert "Les Lilas" in reply and not SmsReportDraft.objects.exists()


def test_a_draft_older_than_30_minutes_is_not_answered_by_a_number(client, community, resident):
    MembershipFactory(community=CommunityFactory(), user=resident)
    sms(client, resident, "ALERTE portail force chemin creux")
    SmsReportDraft.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=31))

    reply = sms(client, resident, "2")

    assert not Alert.objects.exists()
    assert "no report is waiting" in reply


def test_a_report_breaking_the_rules_is_refused_before_the_community_is_asked(client, community, resident):
    MembershipFactory(community=CommunityFactory(), user=resident)
    reply = sms(client, resident, "cambriolage au 3 impasse des Roses")
    assert "house number" in reply and not SmsReportDraft.objects.exists()


def test_the_same_message_sid_twice_makes_one_alert_and_the_same_reply(client, community, resident):
    """A reply arriving twice: Twilio retries a webhook that timed out."""
    first = sms(client, resident, "ALERTE voiture qui rode", sid="SMretried")
    second = sms(client, resident, "ALERTE voiture qui rode", sid="SMretried")

    assert first == second and "published" in first
    assert Alert.objects.count() == 1 and InboundSms.objects.count() == 1


def test_the_reply_is_xml_escaped(client, community, resident):
    community.name = "Rue <Haute> & Basse"
    community.save()
    response = post(client, {"MessageSid": "SMx", "From": str(resident.phone), "Body": "chien errant"})
    assert b"Rue &lt;Haute&gt; &amp; Basse" in response.content
    assert "Rue <Haute> & Basse" in ElementTree.fromstring(response.content).find("Message").text


def test_an_unknown_number_is_told_how_to_join_once_and_nothing_is_kept(client, community):
    stranger = SimpleNamespace(phone="+33611223344")

    first = sms(client, stranger, "ALERTE voiture suspecte")
    later = [sms(client, stranger, body) for body in ("ALERTE encore", "AIDE", "OK")]

    assert SITE_URL in first
    assert later == ["", "", ""]
    assert not Alert.objects.exists() and not SmsReportDraft.objects.exists()
    assert "+33611223344" not in str(list(InboundSms.objects.values()))  # a digest, not the number


def test_an_unverified_number_is_unknown(client, community, resident):
    resident.phone_verified_at = None
    resident.save()
    assert SITE_URL in sms(client, resident, "ALERTE voiture suspecte")
    assert not Alert.objects.exists()


def test_an_opted_out_member_gets_nothing_and_reports_nothing(client, community, resident):
    resident.sms_opted_out_at = timezone.now()
    resident.save()
    assert sms(client, resident, "ALERTE voiture suspecte") == ""
    assert not Alert.objects.exists()


@pytest.mark.parametrize("word", ["AIDE", "aide", "Help "])
def test_aide_answers_with_the_keywords(client, resident, word):
    reply = sms(client, resident, word)
    for keyword in ("ALERTE", "OK", "STOP", "START", "AIDE", "17", "112"):
        assert keyword in reply
    assert not Alert.objects.exists()


@pytest.mark.parametrize("word", ["STOP", "Arret", "ARRÊT"])
def test_stop_and_start_work_as_before_without_a_reply(client, resident, word):
    assert sms(client, resident, word) == ""
    resident.refresh_from_db()
    assert not resident.can_receive_sms
    assert sms(client, resident, "START") == ""
    resident.refresh_from_db()
    assert resident.can_receive_sms
    assert not Alert.objects.exists()


def test_more_than_five_reports_an_hour_get_one_reply_then_silence(client, community, resident):
    replies = [sms(client, resident, f"ALERTE voiture suspecte numero {n}") for n in range(8)]

    assert Alert.objects.count() == 5
    assert all("published" in reply for reply in replies[:5])
    assert "too many" in replies[5] and replies[6:] == ["", ""]
    assert "ALERTE" in sms(client, resident, "AIDE")  # the hourly limit is on reports only
    assert sms(client, resident, "STOP") == ""  # STOP always works
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is not None


def test_more_than_thirty_messages_a_day_get_one_reply_then_silence(client, resident):
    replies = [sms(client, resident, "AIDE") for _ in range(33)]
    assert "too many" in replies[30] and replies[31:] == ["", ""]


def test_the_limits_hold_across_requests_through_the_database(client, community, resident):
    InboundSms.objects.bulk_create(
        InboundSms(sid=f"SMold{n}", sender_key=_key(resident), handled_as="published") for n in range(5)
    )
    assert "too many" in sms(client, resident, "ALERTE voiture suspecte")
    assert not Alert.objects.exists()


def _key(user):
    from alerts.services.inbound import sender_key

    return sender_key(str(user.phone))


@pytest.mark.parametrize("signature", [None, "forged", "wrong-token"])
def test_a_forged_signature_gets_403_and_nothing_changes(client, community, resident, signature):
    data = {"MessageSid": "SMforged", "From": str(resident.phone), "Body": "ALERTE voiture"}
    url = reverse("alerts:twilio_inbound")
    if signature == "wrong-token":
        response = post(client, data, token="not-the-token")
    elif signature is None:
        response = client.post(url, data)
    else:
        response = client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    assert not Alert.objects.exists() and not InboundSms.objects.exists()
