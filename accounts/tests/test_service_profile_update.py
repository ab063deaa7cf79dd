"""profile_update: a person edits their own name, phone and what other members may see."""

import pytest
from phonenumber_field.phonenumber import PhoneNumber

from accounts import services
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_allowed_fields_are_saved():
    user = UserFactory(show_phone=False, show_email=False)

    services.profile_update(
        user=user, first_name="Paul", last_name="Bernard", show_phone=True, show_email=True
    )

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.show_phone, user.show_email) == (
        "Paul",
        "Bernard",
        True,
        True,
    )


def test_other_fields_are_refused_and_nothing_is_saved():
    user = UserFactory(first_name="Claire")

    with pytest.raises(TypeError):
        services.profile_update(user=user, first_name="Paul", is_staff=True)

    user.refresh_from_db()
    assert user.first_name == "Claire"
    assert user.is_staff is False


def test_only_the_given_fields_are_written():
    user = UserFactory(first_name="Claire", last_name="Martin")
    stale = type(user).objects.get(pk=user.pk)
    user.last_name = "Changed elsewhere"
    user.save()

    services.profile_update(user=stale, first_name="Clara")

    user.refresh_from_db()
    assert user.first_name == "Clara"
    assert user.last_name == "Changed elsewhere"


def test_a_new_phone_number_must_be_verified_again():
    user = UserFactory(phone="+33611111111")
    assert user.phone_verified_at is not None

    services.profile_update(user=user, phone=PhoneNumber.from_string("06 22 22 22 22", region="FR"))

    user.refresh_from_db()
    assert str(user.phone) == "+33622222222"
    assert user.phone_verified_at is None


def test_the_same_phone_number_stays_verified():
    user = UserFactory(phone="+33611111111")

    services.profile_update(
        user=user, phone=PhoneNumber.from_string("06 11 11 11 11", region="FR"), first_name="Paul"
    )

    user.refresh_from_db()
    assert user.phone_verified_at is not None


def test_a_new_phone_number_given_as_text_must_be_verified_again():
    user = UserFactory(phone="+33611111111")

    services.profile_update(user=user, phone="+33622222222")

    user.refresh_from_db()
    assert user.phone_verified_at is None


def test_a_user_object_already_holding_the_new_number_still_loses_the_verification():
    """What a ModelForm bound to the user does before its view calls profile_update."""
    user = UserFactory(phone="+33611111111")
    user.phone = PhoneNumber.from_string("06 22 22 22 22", region="FR")

    services.profile_update(user=user, phone=user.phone)

    user.refresh_from_db()
    assert str(user.phone) == "+33622222222"
    assert user.phone_verified_at is None


def test_removing_the_phone_number_clears_the_verification():
    user = UserFactory(phone="+33611111111")

    services.profile_update(user=user, phone="")

    user.refresh_from_db()
    assert user.phone_verified_at is None
