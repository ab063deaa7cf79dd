"""The `sms_setup` filter: what a member is told while alert SMS cannot reach them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.templatetags.sms_notice import sms_setup
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unverified_number_is_told():
    assert sms_setup(UserFactory(phone_verified_at=None)) == "unverified"


def test_no_number_is_told_to_add_one():
    assert sms_setup(UserFactory(phone="", phone_verified_at=None)) == "missing"


def test_a_verified_number_says_nothing():
    assert sms_setup(UserFactory()) == ""


def test_a_member_who_opted_out_of_sms_is_not_nagged():
    assert sms_setup(UserFactory(phone_verified_at=None, sms_opted_out_at=timezone.now())) == ""
    assert sms_setup(UserFactory(phone="", sms_opted_out_at=timezone.now())) == ""


def test_a_visitor_is_told_nothing():
    assert sms_setup(AnonymousUser()) == ""
