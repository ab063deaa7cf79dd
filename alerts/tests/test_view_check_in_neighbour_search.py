"""In a community of thousands, the check-in form lists 50 neighbours at most and finds the
others by name or street; a search keeps those already checked."""

import pytest
from django.urls import reverse

from alerts.checkin_models import CheckIn
from alerts.tests.checkin_support import member_of
from alerts.tests.test_view_check_in import form_data

pytestmark = pytest.mark.django_db


def test_a_large_community_is_searched_not_printed(client, community, resident):
    for number in range(60):
        member_of(community, last_name=f"Voisin{number:02d}")
    wanted = member_of(community, last_name="Zylberstein")
    client.force_login(resident)
    page = client.get(reverse("alerts:check_in")).content.decode()
    assert page.count('name="neighbours"') == 50
    assert 'name="q"' in page and "Zylberstein" not in page

    kept = member_of(community, last_name="Abadie")
    found = client.post(reverse("alerts:check_in"), {**form_data(kept), "q": "zylber", "find": "1"})
    page = found.content.decode()
    assert "Zylberstein" in page and "Abadie" in page  # the one checked stays listed
    assert not CheckIn.objects.exists()  # finding saves nothing

    saved = client.post(reverse("alerts:check_in"), {**form_data(kept), "neighbours": [kept.id, wanted.id]})
    assert saved.status_code == 302
    assert set(CheckIn.objects.get().neighbours.values_list("id", flat=True)) == {kept.id, wanted.id}
