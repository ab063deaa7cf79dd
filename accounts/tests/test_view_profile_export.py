"""The GDPR download: a JSON file of one's own data."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("profile_export")


def test_export_is_a_json_attachment_with_the_memberships(client, community, resident):
    client.force_login(resident)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="vigilance-data-' in disposition and disposition.endswith('.json"')
    data = json.loads(response.content.decode("utf-8"))
    assert data["account"]["email"] == resident.email
    assert [m["community"] for m in data["memberships"]] == [community.name]


def test_export_keeps_accents_readable(client, community, resident):
    client.force_login(resident)

    content = client.get(URL).content.decode("utf-8")

    assert "Saint-Sébastien-sur-Loire" in content


def test_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
