"""user_complete_signup: what the signup form asks beyond email and password."""

import phonenumbers
import pytest
from django.utils import timezone

from accounts import services
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_names_phone_and_charter_acceptance_are_stored():
    user = User.objects.create_user(email="claire@example.org", password="correct-horse-battery")
    before = timezone.now()

    services.user_complete_signup(
        user=user,
        first_name="  Claire ",
        last_name=" Martin ",
        phone=phonenumbers.parse("06 12 34 56 78", "FR"),
    )

    user.refresh_from_db()
    assert user.first_name == "Claire"
    assert user.last_name == "Martin"
    assert str(user.phone) == "+33612345678"
    assert user.charter_accepted_at is not None
    assert user.charter_accepted_at >= before
