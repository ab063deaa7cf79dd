"""A member adds a landline on their profile and proves they own it with a code a call reads."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from phonenumber_field.phonenumber import to_python

from alerts import voice_backends
from alerts.models import PhoneVerification
from alerts.services.landline_verification import (
    landline_remove,
    landline_set,
    landline_verification_confirm,
    landline_verification_start,
)
from alerts.services.phone_verification import phone_verification_start
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
LANDLINE = "+33240123456"


@pytest.fixture
def voice_outbox(settings):
    settings.VOICE_BACKEND = "alerts.voice_backends.LocmemVoiceBackend"
    voice_backends.outbox.clear()
    yield voice_backends.outbox
    voice_backends.outbox.clear()


@pytest.fixture
def member(community):
    user = MembershipFactory(community=community, user__phone="+33612345678").user
    user.landline = to_python(LANDLINE)
    user.save(update_fields=["landline"])
    return user


def code_read(twiml: str) -> str:
    """The code a call reads, its digits spaced: "1 2 3 4 5 6"."""
    return re.search(r"(\d(?: \d){5})", twiml).group(1).replace(" ", "")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_verification_call_reads_the_code_twice_in_french_through_twilio(member, fake_twilio):
    landline_verification_start(user=member)
    [call] = fake_twilio.calls_to(LANDLINE)
    assert call["From"] == "+33700000000"
    twiml = call["Twiml"]
    says = re.findall(r'<Say language="fr-FR">(.*?)</Say>', twiml)
    code = code_read(twiml)
    assert len([say for say in says if " ".join(code) in say]) == 2
    landline_verification_confirm(user=member, code=code)
    member.refresh_from_db()
    assert member.landline_verified_at is not None
    assert PhoneVerification.objects.get(user=member).channel == PhoneVerification.Channel.VOICE


def test_a_call_twilio_refuses_is_a_clear_error(member, fake_twilio):
    fake_twilio.answer(LANDLINE, 13224)
    with pytest.raises(ValidationError):
        landline_verification_start(user=member)
    member.refresh_from_db()
    assert member.landline_verified_at is None


def test_a_wrong_code_does_not_verify_and_counts_an_attempt(member, voice_outbox):
    landline_verification_start(user=member)
    with pytest.raises(ValidationError):
        landline_verification_confirm(user=member, code=wrong(code_read(voice_outbox[-1]["twiml"])))
    member.refresh_from_db()
    assert member.landline_verified_at is None
    assert PhoneVerification.objects.get(user=member).attempts == 1


def test_codes_are_limited_per_hour_apart_from_sms_codes(member, voice_outbox, sms_outbox):
    for _ in range(3):
        landline_verification_start(user=member)
    with pytest.raises(ValidationError):
        landline_verification_start(user=member)
    assert len(voice_outbox) == 3
    phone_verification_start(user=member)  # the mobile's codes are counted apart
    assert len(sms_outbox) == 1


def test_a_code_is_refused_after_too_many_wrong_attempts(member, voice_outbox):
    landline_verification_start(user=member)
    code = code_read(voice_outbox[-1]["twiml"])
    for _ in range(5):
        with pytest.raises(ValidationError):
            landline_verification_confirm(user=member, code=wrong(code))
    with pytest.raises(ValidationError):
        landline_verification_confirm(user=member, code=code)
    member.refresh_from_db()
    assert member.landline_verified_at is None


def test_an_sms_code_does_not_verify_the_landline(member, voice_outbox, sms_outbox):
    phone_verification_start(user=member)
    sms_code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["body"]).group(1)
    with pytest.raises(ValidationError):
        landline_verification_confirm(user=member, code=sms_code)


def test_changing_the_landline_clears_its_verification_and_removing_it_too(member, voice_outbox):
    landline_verification_start(user=member)
    landline_verification_confirm(user=member, code=code_read(voice_outbox[-1]["twiml"]))
    assert landline_set(user=member, landline="02 40 12 34 56") is False  # the same number
    member.refresh_from_db()
    assert member.landline_verified_at is not None
    assert landline_set(user=member, landline="01 40 12 34 56") is True
    member.refresh_from_db()
    assert (str(member.landline), member.landline_verified_at) == ("+33140123456", None)
    landline_remove(user=member)
    member.refresh_from_db()
    assert (str(member.landline), member.landline_verified_at) == ("", None)


@pytest.mark.parametrize("number", ["06 12 34 56 78", "08 00 12 34 56", "12345", "+44 20 7946 0000"])
def test_the_service_refuses_what_is_not_a_french_landline(member, number):
    with pytest.raises(ValidationError):
        landline_set(user=member, landline=number)


def test_a_box_line_in_09_is_a_landline(member):
    assert landline_set(user=member, landline="09 12 34 56 78") is True


# The profile page -----------------------------------------------------------------------


def test_the_profile_adds_a_landline_shown_in_national_format(client, community, voice_outbox):
    user = MembershipFactory(community=community).user
    client.force_login(user)
    response = client.post(reverse("alerts:landline_save"), {"landline": "02 40 12 34 56"})
    assert response["Location"] == reverse("profile") + "#landline"
    user.refresh_from_db()
    assert (str(user.landline), user.landline_verified_at) == (LANDLINE, None)
    html = client.get(reverse("profile")).content.decode()
    assert 'value="02 40 12 34 56"' in html
    assert reverse("alerts:landline_call") in html


def test_the_profile_refuses_a_mobile_as_landline_saying_why(client, member):
    client.force_login(member)
    with translation.override("en"):
        response = client.post(
            reverse("alerts:landline_save"), {"landline": "06 12 34 56 78"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    errors = response.context["landline_form"].errors["landline"]
    with translation.override("en"):
        assert errors == ["This is a mobile number: add it as your mobile phone to receive alerts by SMS."]
    member.refresh_from_db()
    assert str(member.landline) == LANDLINE


def test_the_profile_refuses_an_invalid_number(client, member):
    client.force_login(member)
    response = client.post(reverse("alerts:landline_save"), {"landline": "02 40"})
    assert response.status_code == 200
    assert response.context["landline_form"].errors["landline"]


def test_call_and_confirm_views_verify_the_landline(client, member, voice_outbox):
    client.force_login(member)
    response = client.post(reverse("alerts:landline_call"))
    assert response["Location"] == reverse("profile") + "#landline"
    assert [c["to"] for c in voice_outbox] == [LANDLINE]
    response = client.post(reverse("alerts:landline_confirm"), {"code": "12"})
    assert response.status_code == 200
    assert response.context["landline_code_form"].errors["code"]
    code = code_read(voice_outbox[-1]["twiml"])
    response = client.post(reverse("alerts:landline_confirm"), {"code": code})
    assert response["Location"] == reverse("profile") + "#landline"
    member.refresh_from_db()
    assert member.landline_verified_at is not None


def test_remove_view_removes_the_landline(client, member):
    client.force_login(member)
    client.post(reverse("alerts:landline_remove"))
    member.refresh_from_db()
    assert not member.landline


def test_landline_views_are_for_signed_in_members_and_post_only(client, member, voice_outbox):
    for name in ("landline_save", "landline_remove", "landline_call", "landline_confirm"):
        assert client.post(reverse(f"alerts:{name}")).status_code == 302  # to sign in
    client.force_login(member)
    for name in ("landline_save", "landline_remove", "landline_call", "landline_confirm"):
        assert client.get(reverse(f"alerts:{name}")).status_code == 405
    assert voice_outbox == []
