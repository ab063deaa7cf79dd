"""The home page tells an approved member whose mobile number is not verified that alerts
will not reach them by SMS, until they verify it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
UNVERIFIED = "Your mobile number is not verified yet: you will not receive alerts by SMS until you verify it."


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home"), headers=EN).content.decode()


def test_an_unverified_member_is_told_until_they_verify_their_number(client, resident):
    resident.phone_verified_at = None
    resident.save(update_fields=["phone_verified_at"])
    page = home(client, resident)
    assert 'data-notice="sms-unverified"' in page and UNVERIFIED in page
    assert f'href="{reverse("alerts:notifications")}"' in page

    resident.phone_verified_at = timezone.now()
    resident.save(update_fields=["phone_verified_at"])
    page = home(client, resident)
    assert "data-notice" not in page and UNVERIFIED not in page


def test_a_member_without_a_number_is_invited_to_add_one(client, resident):
    resident.phone, resident.phone_verified_at = "", None
    resident.save(update_fields=["phone", "phone_verified_at"])
    page = home(client, resident)
    assert 'data-notice="sms-missing"' in page and f'href="{reverse("profile")}"' in page


def test_a_member_who_turned_sms_off_is_not_nagged(client, resident):
    resident.phone_verified_at, resident.sms_opted_out_at = None, timezone.now()
    resident.save(update_fields=["phone_verified_at", "sms_opted_out_at"])
    assert "data-notice" not in home(client, resident)


def test_someone_not_approved_yet_is_not_told(client, community):
    pending = MembershipFactory(
        community=community, status=Membership.Status.PENDING, decided_at=None, user__phone_verified_at=None
    ).user
    assert "data-notice" not in home(client, pending)
