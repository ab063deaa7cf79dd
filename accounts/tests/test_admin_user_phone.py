"""Staff read phone numbers in the admin as residents write them: "06 12 34 56 78"."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_list_shows_numbers_in_the_national_format(admin_client):
    UserFactory(phone="+33612345678")
    page = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "06 12 34 56 78" in page
    assert "+33612345678" not in page
