"""Journey: a referent of a busy community pages through the alerts that need them."""

import pytest
from django.urls import reverse

from alerts.models import Alert, AlertFlag
from alerts.tests.bulk import bulk_alerts
from vigilance.tests.browser.helpers import path_of, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser


def cards(page):
    return page.locator("main ul.cards > li.card")


def test_referent_pages_through_waiting_and_flagged_alerts(new_page, community, resident, referent):
    waiting = bulk_alerts(community, 15, status=Alert.Status.PENDING, prefix="En attente")
    flagged = bulk_alerts(community, 10, prefix="Signalée")
    AlertFlag.objects.bulk_create(AlertFlag(alert=alert, user=resident) for alert in flagged)
    bulk_alerts(community, 40, prefix="Tranquille")
    page = new_page(user=referent)

    page.goto(reverse("alerts:moderation"))
    assert unlabelled_fields(page) == []
    assert cards(page).count() == 20
    texts = cards(page).all_inner_texts()
    assert all("Tranquille" not in text for text in texts)
    assert "En attente 014" in texts[0] and "Signalée 009" in texts[15]
    snapshot(page, "moderation-page-1")

    older = page.locator("main nav.pagination a[rel=next]")
    assert older.bounding_box()["height"] >= 44
    with page.expect_navigation():
        older.click()
    assert path_of(page) == reverse("alerts:moderation") + "?page=2#to-moderate"
    assert cards(page).count() == 5
    assert "Signalée 000" in cards(page).last.inner_text()
    assert page.locator("main nav.pagination a[rel=next]").count() == 0

    # Withdraw a flagged alert from the second page: the forms work from any page.
    oldest = flagged[0]
    submit(page, page.locator(f"form[action='{reverse('alerts:moderate', args=[oldest.id, 'withdraw'])}']"))
    oldest.refresh_from_db()
    assert oldest.status == Alert.Status.WITHDRAWN
    assert path_of(page) == reverse("alerts:moderation")

    # Approve the oldest waiting one from the first page: it leaves the list.
    first_waiting = waiting[0]
    submit(
        page, page.locator(f"form[action='{reverse('alerts:moderate', args=[first_waiting.id, 'approve'])}']")
    )
    first_waiting.refresh_from_db()
    assert first_waiting.status == Alert.Status.PUBLISHED
    assert page.locator(f"main a[href='{reverse('alerts:detail', args=[first_waiting.id])}']").count() == 0
