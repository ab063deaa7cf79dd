"""Receipts: OK (or 1) to an urgent alert SMS acknowledges it, once; the progress pages
count the members who acknowledged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Delivery, SmsReportDraft
from alerts.selectors import delivery_progress
from alerts.tests.factories import AlertFactory, DeliveryFactory, PoliceOfficerFactory
from alerts.tests.test_webhook_inbound_reports import sms
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = "webhook-test-token"
    settings.SITE_URL = "https://vigilance.example.fr"
    settings.LANGUAGE_CODE = "en"


def sent(alert, recipient, *, minutes_ago=5, channel=Delivery.Channel.SMS, **fields) -> Delivery:
    fields = {
        "status": Delivery.Status.SENT,
        "sent_at": timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    }
    return DeliveryFactory(alert=alert, recipient=recipient, channel=channel, **fields)


def urgent(community, **fields):
    return AlertFactory(
        urgency=Alert.Urgency.URGENT,
        commune=community.neighbourhood.commune,
        communities=[community],
        **fields,
    )


def acknowledged(*deliveries) -> list[bool]:
    return [Delivery.objects.get(id=d.id).acknowledged_at is not None for d in deliveries]


@pytest.mark.parametrize("word", ["OK", "ok ", "Ok.", "1"])
def test_ok_acknowledges_the_latest_urgent_sms_sent_to_that_number(client, community, resident, word):
    older = sent(urgent(community), resident, minutes_ago=60)
    latest = sent(urgent(community), resident, minutes_ago=5)
    not_urgent = sent(AlertFactory(urgency=Alert.Urgency.VIGILANCE), resident, minutes_ago=1)
    email = sent(urgent(community), resident, minutes_ago=1, channel=Delivery.Channel.EMAIL)
    someone_else = sent(urgent(community), MembershipFactory(community=community).user, minutes_ago=1)

    reply = sms(client, resident, word)

    assert "thank you" in reply
    assert acknowledged(older, latest, not_urgent, email, someone_else) == [False, True, False, False, False]
    assert not Alert.objects.filter(author=resident).exists()  # not a report


def test_ok_twice_acknowledges_once_each(client, community, resident):
    only = sent(urgent(community), resident)
    sms(client, resident, "OK")
    first_at = Delivery.objects.get(id=only.id).acknowledged_at

    reply = sms(client, resident, "OK")

    assert Delivery.objects.get(id=only.id).acknowledged_at == first_at
    assert "no urgent alert to acknowledge" in reply


def test_the_same_ok_delivered_twice_by_twilio_acknowledges_one_delivery(client, community, resident):
    first, second = sent(urgent(community), resident, minutes_ago=9), sent(urgent(community), resident)
    replies = {sms(client, resident, "OK", sid="SMokretried") for _ in range(2)}
    assert len(replies) == 1
    assert acknowledged(first, second) == [False, True]


def test_ok_ignores_what_is_older_than_a_day_or_went_to_another_number(client, community, resident):
    old = sent(urgent(community), resident, minutes_ago=25 * 60)
    elsewhere = sent(urgent(community), resident, to="+33699999999")
    failed = sent(urgent(community), resident, status=Delivery.Status.FAILED)

    reply = sms(client, resident, "OK")

    assert acknowledged(old, elsewhere, failed) == [False, False, False]
    assert "no urgent alert to acknowledge" in reply


def test_digits_answer_a_waiting_report_before_a_receipt(client, community, resident):
    MembershipFactory(community=CommunityFactory(), user=resident)
    delivery = sent(urgent(community), resident)
    sms(client, resident, "ALERTE portail ouvert chemin creux")
    assert SmsReportDraft.objects.exists()

    sms(client, resident, "1")

    assert Alert.objects.filter(author=resident).count() == 1
    assert acknowledged(delivery) == [False]
    sms(client, resident, "1")  # nothing waiting any more: now it is a receipt
    assert acknowledged(delivery) == [True]


def test_progress_counts_acknowledged_deliveries_of_an_urgent_alert(community, resident):
    alert = urgent(community)
    for n in range(3):
        delivery = sent(alert, MembershipFactory(community=community).user)
        if n:
            Delivery.objects.filter(id=delivery.id).update(acknowledged_at=timezone.now())
    assert delivery_progress(alert)["sms"]["acknowledged"] == 2
    assert delivery_progress(alert)["email"]["acknowledged"] == 0


def test_progress_of_a_non_urgent_alert_spends_no_query_on_receipts(community, django_assert_num_queries):
    alert = AlertFactory(urgency=Alert.Urgency.VIGILANCE)
    with django_assert_num_queries(2):
        delivery_progress(alert)


def test_the_alert_page_shows_how_many_acknowledged(client, community, resident):
    alert = urgent(community, author=resident)
    for n in range(4):
        delivery = sent(alert, MembershipFactory(community=community).user)
        if n % 2:
            Delivery.objects.filter(id=delivery.id).update(acknowledged_at=timezone.now())
    client.force_login(resident)

    page = client.get(reverse("alerts:detail", args=[alert.id])).content.decode()

    assert 'data-count="sms-acknowledged">2<' in page


def test_the_page_of_a_non_urgent_alert_has_no_acknowledged_column(client, community, resident):
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    sent(alert, MembershipFactory(community=community).user)
    client.force_login(resident)

    page = client.get(reverse("alerts:detail", args=[alert.id])).content.decode()

    assert 'data-count="sms-total"' in page and "acknowledged" not in page


def test_the_polices_admin_page_shows_how_many_acknowledged(client, community):
    officer = PoliceOfficerFactory(official_commune=community.neighbourhood.commune)
    alert = urgent(community, kind=Alert.Kind.POLICE, author=officer)
    ok, not_yet = (sent(alert, MembershipFactory(community=community).user) for _ in range(2))
    Delivery.objects.filter(id=ok.id).update(acknowledged_at=timezone.now())
    client.force_login(officer)

    page = client.get(reverse("admin:alerts_alert_change", args=[alert.id])).content.decode()

    assert 'data-count="sms-acknowledged">1<' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_acknowledged_count_reads_only_acknowledged_rows_through_their_index(community, resident):
    alert = urgent(community)
    sent(alert, resident)
    # A warning to a town: hundreds of deliveries, a handful acknowledged. With a few rows
    # only, the planner may as well read the progress index: the plan is checked at scale.
    Delivery.objects.bulk_create(
        Delivery(
            alert=alert, channel=Delivery.Channel.EMAIL, to=f"n{i}@example.com", status=Delivery.Status.SENT
        )
        for i in range(400)
    )
    with CaptureQueriesContext(connection) as queries:
        delivery_progress(alert)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_delivery")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "delivery_acknowledged" in plan, plan
