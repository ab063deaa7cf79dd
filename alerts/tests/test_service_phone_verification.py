"""phone_verification_start / _confirm: a 6-digit code sent by SMS proves the member owns the
number; no alert SMS goes to an unverified number."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.services import profile_update
from alerts.models import Alert, PhoneVerification
from alerts.services.phone_verification import phone_verification_confirm, phone_verification_start
from alerts.services.publishing import alert_publish
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(community):
    return MembershipFactory(
        community=community, user__phone_verified_at=None, user__phone="+33612345678"
    ).user


def sent_code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1]["body"]).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_code_is_sent_by_sms_to_the_members_number(member, sms_outbox):
    phone_verification_start(user=member)
    assert [m["to"] for m in sms_outbox] == ["+33612345678"]
    assert re.search(r"\b\d{6}\b", sms_outbox[0]["body"])
    verification = PhoneVerification.objects.get(user=member)
    assert sent_code(sms_outbox) not in verification.code_hash  # only a hash is kept


def test_the_right_code_verifies_the_number(member, sms_outbox):
    phone_verification_start(user=member)
    phone_verification_confirm(user=member, code=f" {sent_code(sms_outbox)} ")
    member.refresh_from_db()
    assert member.phone_verified_at is not None
    assert member.can_receive_sms


def test_a_code_cannot_be_used_twice(member, sms_outbox):
    phone_verification_start(user=member)
    code = sent_code(sms_outbox)
    phone_verification_confirm(user=member, code=code)
    with pytest.raises(ValidationError):
        phone_verification_confirm(user=member, code=code)


def test_a_wrong_code_is_refused_and_counted(member, sms_outbox):
    phone_verification_start(user=member)
    with pytest.raises(ValidationError):
        phone_verification_confirm(user=member, code=wrong(sent_code(sms_outbox)))
    assert PhoneVerification.objects.get(user=member).attempts == 1
    member.refresh_from_db()
    assert member.phone_verified_at is None


def test_after_five_wrong_codes_even_the_right_one_is_refused(member, sms_outbox):
    phone_verification_start(user=member)
    code = sent_code(sms_outbox)
    for _ in range(5):
        with pytest.raises(ValidationError):
            phone_verification_confirm(user=member, code=wrong(code))
    with pytest.raises(ValidationError) as error:
        phone_verification_confirm(user=member, code=code)
    assert "Too many" in str(error.value) or "trop" in str(error.value).lower()
    member.refresh_from_db()
    assert member.phone_verified_at is None


def test_a_code_older_than_ten_minutes_is_refused(member, sms_outbox):
    phone_verification_start(user=member)
    PhoneVerification.objects.filter(user=member).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with pytest.raises(ValidationError):
        phone_verification_confirm(user=member, code=sent_code(sms_outbox))
    member.refresh_from_db()
    assert member.phone_verified_at is None


def test_a_code_sent_to_the_previous_number_does_not_verify_a_new_one(member, sms_outbox):
    phone_verification_start(user=member)
    code = sent_code(sms_outbox)
    profile_update(user=member, phone="+33698765432")
    with pytest.raises(ValidationError):
        phone_verification_confirm(user=member, code=code)
    member.refresh_from_db()
    assert member.phone_verified_at is None


def test_more_than_three_codes_an_hour_is_refused_with_a_clear_message(member, sms_outbox):
    for _ in range(3):
        phone_verification_start(user=member)
    with pytest.raises(ValidationError) as error:
        phone_verification_start(user=member)
    assert "hour" in str(error.value) or "heure" in str(error.value)
    assert len(sms_outbox) == 3
    # An hour later, a code can be asked again.
    PhoneVerification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    phone_verification_start(user=member)
    assert len(sms_outbox) == 4


def test_no_code_without_a_phone_number(member, sms_outbox):
    member.phone = ""
    member.save()
    with pytest.raises(ValidationError):
        phone_verification_start(user=member)
    assert sms_outbox == []


def test_changing_the_phone_on_the_profile_clears_the_verification(resident):
    assert resident.phone_verified_at is not None
    profile_update(user=resident, first_name="Jeanne")  # other fields keep it
    resident.refresh_from_db()
    assert resident.phone_verified_at is not None
    profile_update(user=resident, phone="+33611112222")
    resident.refresh_from_db()
    assert resident.phone_verified_at is None
    assert not resident.can_receive_sms


def test_no_alert_sms_goes_to_an_unverified_number(
    community, resident, member, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    changed = MembershipFactory(community=community).user
    profile_update(user=changed, phone="+33699990000")
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Porte fracturée cette nuit.",
            street="rue des Lilas",
        )
    assert sms_outbox == []
    assert not alert.deliveries.filter(channel="sms").exists()
    assert set(alert.deliveries.values_list("recipient_id", flat=True)) == {member.id, changed.id}
