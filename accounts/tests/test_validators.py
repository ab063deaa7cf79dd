"""Names refuse control and invisible formatting characters, wherever they are written."""

import sys
import unicodedata

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.validators import validate_visible_name

INVISIBLE = [
    "\x00",  # NUL
    "\x07",  # bell
    "\x1b",  # escape
    "\t",
    "\n",
    "\x7f",  # delete
    "\x85",  # next line
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2060",  # word joiner
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\ufeff",  # byte order mark
    "\U000e0001",  # language tag
]
# A request holding a NUL anywhere is refused before any form reads it (vigilance.middleware).
INVISIBLE_IN_FORMS = [c for c in INVISIBLE if c != "\x00"]
NAMES = [
    "Claire",
    "Zoé",
    "Jean-François",
    "N'Diaye",
    "O’Connor",
    "Anne Marie",
    "Ørsted",
    "Müller",
    "محمد",
    "李",
]


def message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Names may not contain invisible or control characters; please type the name again.")


def test_every_control_and_format_character_of_unicode_is_refused():
    invisible = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in {"Cc", "Cf"}]
    assert len(invisible) > 150

    accepted = []
    for char in invisible:
        try:
            validate_visible_name(f"Cla{char}ire")
        except ValidationError as error:
            assert error.code == "invisible_characters"
        else:
            accepted.append(f"U+{ord(char):04X}")
    assert accepted == []


@pytest.mark.parametrize("name", NAMES)
def test_names_as_people_write_them_are_accepted(name):
    validate_visible_name(name)


@pytest.mark.django_db
@pytest.mark.parametrize("char", INVISIBLE_IN_FORMS)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_signup_with_an_invisible_character_in_a_name_is_refused(client, field, char):
    data = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "claire.martin@example.org",
        "phone": "06 12 34 56 78",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
        "accept_charter": "on",
    }
    data[field] = f"Mar{char}tin"

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert message() in response.context["form"].errors[field]
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_profile_update_refuses_an_invisible_character_in_a_name(field, char):
    user = UserFactory(first_name="Claire", last_name="Martin")

    with pytest.raises(ValidationError) as excinfo:
        services.profile_update(user=user, **{field: f"Mar{char}tin"})

    assert set(excinfo.value.error_dict) == {field}
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Claire", "Martin")


@pytest.mark.django_db
@pytest.mark.parametrize("char", INVISIBLE)
def test_completing_a_signup_refuses_an_invisible_character_in_a_name(char):
    user = UserFactory(first_name="", last_name="")

    with pytest.raises(ValidationError) as excinfo:
        services.user_complete_signup(user=user, first_name="Claire", last_name=f"{char}Martin", phone="")

    assert set(excinfo.value.error_dict) == {"last_name"}
    user.refresh_from_db()
    assert user.last_name == ""
