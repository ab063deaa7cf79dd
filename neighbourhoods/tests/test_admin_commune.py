"""A commune added or renamed in the admin is found by name, as one loaded by import_communes."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Commune
from neighbourhoods.selectors import communes_search
from neighbourhoods.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

NO_POSTCODES = {"postcodes-TOTAL_FORMS": "0", "postcodes-INITIAL_FORMS": "0"}


def test_a_commune_added_in_the_admin_is_found_by_name(admin_client):
    response = admin_client.post(
        reverse("admin:neighbourhoods_commune_add"),
        {"insee_code": "42218", "name": "Saint-Étienne", "department_code": "42", **NO_POSTCODES},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [c.insee_code for c in communes_search("saint etienne")] == ["42218"]


def test_a_renamed_commune_is_found_by_its_new_name(admin_client):
    commune = CommuneFactory(name="Ancien Nom", postcode=None)

    admin_client.post(
        reverse("admin:neighbourhoods_commune_change", args=[commune.id]),
        {"insee_code": commune.insee_code, "name": "Les Sorinières", "department_code": "44", **NO_POSTCODES},
    )

    commune.refresh_from_db()
    assert commune.search_name == "les sorinieres"
    assert list(communes_search("sorinieres")) == [commune]
    assert Commune.objects.filter(search_name__contains="ancien").count() == 0
