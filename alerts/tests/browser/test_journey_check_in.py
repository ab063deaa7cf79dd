"""Journeys of the welfare check-in: a resident enrols on their profile; their referent,
told of a missed check-in, opens it from the referent's page and says they checked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.checkin_models import CheckIn, CheckInRound
from alerts.services import checkin
from alerts.tests.checkin_support import enrol, questions_sent
from vigilance.tests.browser.helpers import path_of, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser


def test_resident_enrols_a_check_in_on_their_profile(new_page, resident, neighbours):
    page = new_page(user=resident)
    page.goto(reverse("profile"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('alerts:check_in')}']")
    assert unlabelled_fields(page) == []
    form = page.locator("form:has(input[name=hour])")
    for day in ("0", "2", "4"):
        form.locator(f"input[name=weekdays][value='{day}']").check()
    form.locator("input[name=hour]").fill("09:30")
    form.locator("input[name=channel][value=sms]").check()
    form.locator("select[name=answer_delay]").select_option("90")
    form.locator(f"input[name=neighbours][value='{neighbours[0].id}']").check()
    form.locator("textarea[name=shared_text]").fill("Problème cardiaque ; clé chez Mme Martin")
    submit(page, form)
    assert path_of(page) == reverse("alerts:check_in")
    assert page.locator("[data-check-in-status=active]").is_visible()
    snapshot(page, "check-in-enrolled")
    check_in = CheckIn.objects.get(resident=resident)
    assert check_in.weekday_list() == [0, 2, 4] and check_in.answer_delay == 90
    assert list(check_in.neighbours.all()) == [neighbours[0]]

    submit(page, page.locator(f"form[action='{reverse('alerts:check_in_stop')}']"))
    assert page.locator("[data-check-in-status=stopped]").is_visible()


def test_referent_sees_a_missed_check_in_and_marks_i_checked(
    new_page, community, resident, neighbours, referent
):
    enrol(resident, [neighbours[0]], shared_text="Clé chez Mme Martin")
    checkin.check_in_rounds_start()
    questions_sent()
    checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=2))
    round_ = CheckInRound.objects.get()

    page = new_page(user=referent)
    page.goto(reverse("neighbourhoods:referent_home"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('alerts:check_ins_missed')}']")
    row = page.locator(f"[data-round='{round_.id}']")
    assert resident.get_full_name() in row.inner_text()
    with page.expect_navigation():
        row.locator("a").click()
    assert "Clé chez Mme Martin" in page.locator("main").inner_text()
    submit(page, page.locator(f"form[action='{reverse('alerts:check_in_checked', args=[round_.id])}']"))
    assert page.locator("[data-round-status=checked]").is_visible()
    snapshot(page, "check-in-checked")
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.CHECKED and round_.checked_by == referent

    # Someone the resident did not name gets nothing.
    stranger = new_page(user=neighbours[1])
    response = stranger.goto(reverse("alerts:check_in_round", args=[round_.id]))
    assert response.status == 404


def test_check_in_pages_have_no_accessibility_violation(new_page, community, resident, neighbours, referent):
    from vigilance.tests.browser.test_axe_every_page import violations_on

    enrol(resident, [neighbours[0]], shared_text="Clé chez Mme Martin")
    checkin.check_in_rounds_start()
    questions_sent()
    checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=2))
    round_ = CheckInRound.objects.get()
    found = violations_on(new_page, resident, [reverse("alerts:check_in")])
    found += violations_on(
        new_page,
        referent,
        [
            reverse("alerts:check_in_for_member", args=[community.id, resident.id]),
            reverse("alerts:check_ins_missed"),
            reverse("alerts:check_in_round", args=[round_.id]),
        ],
    )
    assert found == []
