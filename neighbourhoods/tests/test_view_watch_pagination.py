"""The holiday watch of a referent of a big neighbourhood: the absences, 20 a page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Absence

from .bulk import bulk_members

pytestmark = pytest.mark.django_db

URL = reverse("neighbourhoods:watch")


@pytest.fixture
def absences(community, referent):
    """45 members away, each leaving a day after the one before, shared with the referent."""
    today = timezone.localdate()
    memberships = bulk_members(community, 45, prefix="Absent")
    return Absence.objects.bulk_create(
        Absence(
            user_id=m.user_id,
            community=community,
            starts_on=today + timedelta(days=n),
            ends_on=today + timedelta(days=n + 7),
            share_with_referent=True,
        )
        for n, m in enumerate(memberships)
    )


def test_the_referent_pages_through_the_absences_in_date_order(client, referent, absences):
    client.force_login(referent)

    pages = [client.get(URL, {"page": n}) for n in (1, 2, 3)]

    seen = [a.id for page in pages for a in page.context["absences"]]
    assert seen == [a.id for a in absences]
    assert [len(page.context["absences"]) for page in pages] == [20, 20, 5]
    assert pages[0].context["absences"].num_pages == 3
    html = pages[1].content.decode()
    assert 'href="?page=3"' in html and 'href="?"' in html


def test_a_page_past_the_end_is_404_and_a_bad_one_the_first(client, referent, absences):
    client.force_login(referent)

    assert client.get(URL, {"page": "4"}).status_code == 404
    assert client.get(URL, {"page": "deux"}).context["absences"].number == 1


def test_a_member_sees_only_what_was_shared_with_them(client, resident, absences):
    client.force_login(resident)

    response = client.get(URL)

    assert list(response.context["absences"]) == []
    assert 'class="pagination"' not in response.content.decode()
