"""The approval email tells a new member whose mobile number is not verified that alerts will
not reach them by SMS until they verify it, with the link to do so."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from neighbourhoods import notifications
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
UNVERIFIED = "Your mobile number is not verified yet: you will not receive alerts by SMS until you verify it."
MISSING = "You have not given a mobile number: alerts reach you by email only."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # emails are written in the site's language


def approval_email(**user_fields) -> mail.EmailMultiAlternatives:
    membership = MembershipFactory(
        status=Membership.Status.APPROVED, **{f"user__{k}": v for k, v in user_fields.items()}
    )
    with translation.override("en"):
        notifications.membership_email(
            membership_id=membership.id, event="approved", to=membership.user.email
        )
    (email,) = mail.outbox
    return email


def test_an_unverified_number_is_pointed_out_with_the_link_to_verify_it(settings):
    email = approval_email(phone_verified_at=None)
    link = settings.SITE_URL + reverse("alerts:notifications")
    html = email.alternatives[0][0]
    assert UNVERIFIED in email.body and link in email.body
    assert UNVERIFIED in html and f'href="{link}"' in html


def test_no_number_suggests_adding_one(settings):
    email = approval_email(phone="", phone_verified_at=None)
    assert MISSING in email.body and settings.SITE_URL + reverse("profile") in email.body
    assert UNVERIFIED not in email.body


@pytest.mark.parametrize("fields", [{}, {"phone_verified_at": None, "sms_opted_out_at": timezone.now()}])
def test_nothing_is_said_when_sms_reach_them_or_they_turned_sms_off(fields):
    email = approval_email(**fields)
    assert UNVERIFIED not in email.body and MISSING not in email.body
