"""What is kept of the SMS a person sends to the platform: declared, exported, erased with
their account, and forgotten after 30 days (a waiting report after 30 minutes)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.privacy import user_erase, user_export
from alerts.models import InboundSms, SmsReportDraft
from alerts.services.inbound import inbound_sms_handle, sender_key
from alerts.services.retention import inbound_sms_forget
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_sender_is_kept_as_a_digest_and_the_text_not_at_all(resident):
    inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="AIDE secret words")
    row = InboundSms.objects.get()
    assert row.sender_key == sender_key(str(resident.phone)) and str(resident.phone) not in row.sender_key
    assert "secret" not in str(list(InboundSms.objects.values()))


def test_a_persons_download_lists_their_sms_and_waiting_report(resident, community):
    MembershipFactory(community=CommunityFactory(), user=resident)
    inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="AIDE")
    inbound_sms_handle(sid="SM2", from_phone=str(resident.phone), body="ALERTE chien errant")

    data = user_export(user=resident)["sms_sent_to_the_platform"]

    assert [row["handled_as"] for row in data["received"]] == ["help", "asked"]
    assert data["report_waiting"]["text"] == "chien errant"


def test_erasing_the_account_erases_its_sms_records(resident, community):
    MembershipFactory(community=CommunityFactory(), user=resident)
    inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="ALERTE chien errant")
    other = MembershipFactory(community=community).user
    inbound_sms_handle(sid="SM2", from_phone=str(other.phone), body="AIDE")

    user_erase(user=resident)

    assert not SmsReportDraft.objects.exists()
    assert list(InboundSms.objects.values_list("sid", flat=True)) == ["SM2"]


def test_records_go_after_30_days_and_waiting_reports_after_30_minutes(resident, community):
    MembershipFactory(community=CommunityFactory(), user=resident)
    now = timezone.now()
    inbound_sms_handle(sid="SM1", from_phone=str(resident.phone), body="ALERTE chien errant")
    InboundSms.objects.create(
        sid="SMold", sender_key="x", handled_as="help", received_at=now - timedelta(days=31)
    )

    assert inbound_sms_forget(now=now) == 1
    assert set(InboundSms.objects.values_list("sid", flat=True)) == {"SM1"}
    assert SmsReportDraft.objects.exists()

    assert inbound_sms_forget(now=now + timedelta(minutes=31)) == 1
    assert not SmsReportDraft.objects.exists()


def test_an_unknown_number_is_answered_again_once_its_record_is_forgotten(db):
    phone = "+33611223344"
    assert inbound_sms_handle(sid="SM1", from_phone=phone, body="hello")
    assert inbound_sms_handle(sid="SM2", from_phone=phone, body="hello") == ""
    inbound_sms_forget(now=timezone.now() + timedelta(days=31))
    assert inbound_sms_handle(sid="SM3", from_phone=phone, body="hello")
