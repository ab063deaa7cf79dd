"""The check-in pages: the resident's on their profile, the referent's for a member (with
the consent box), and the missed rounds, which only the neighbours named and the referents see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.checkin_models import CheckIn, CheckInRound
from alerts.services import checkin
from alerts.tests.checkin_support import enrol, member_of, questions_sent

pytestmark = pytest.mark.django_db


def form_data(neighbour, **extra):
    return {
        "weekdays": ["0", "2", "4"],
        "hour": "09:30",
        "channel": "sms",
        "answer_delay": "60",
        "neighbours": [str(neighbour.id)],
        "shared_text": "Clé chez Mme X",
        **extra,
    }


def test_a_resident_enrols_on_their_profile(client, community, resident):
    neighbour = member_of(community)
    client.force_login(resident)
    page = client.get(reverse("alerts:check_in"))
    assert page.status_code == 200 and neighbour.get_full_name() in page.content.decode()
    response = client.post(reverse("alerts:check_in"), form_data(neighbour))
    assert response.status_code == 302
    check_in = CheckIn.objects.get(resident=resident)
    assert check_in.weekday_list() == [0, 2, 4] and check_in.hour.strftime("%H:%M") == "09:30"
    client.post(reverse("alerts:check_in_stop"))
    check_in.refresh_from_db()
    assert not check_in.active


def test_a_referent_enrols_a_member_only_with_the_consent_box_ticked(client, community, resident, referent):
    neighbour = member_of(community)
    client.force_login(referent)
    url = reverse("alerts:check_in_for_member", args=[community.id, resident.id])
    refused = client.post(url, form_data(neighbour))
    assert refused.status_code == 200 and not CheckIn.objects.exists()
    assert client.post(url, form_data(neighbour, consent="on")).status_code == 302
    check_in = CheckIn.objects.get(resident=resident)
    assert check_in.enrolled_by == referent and check_in.consent_recorded_at


def test_a_member_cannot_use_the_referents_page(client, community, resident):
    other = member_of(community)
    client.force_login(other)
    url = reverse("alerts:check_in_for_member", args=[community.id, resident.id])
    assert client.get(url).status_code == 404


@pytest.fixture
def missed_round(community, resident):
    neighbour = member_of(community)
    enrol(resident, [neighbour])
    checkin.check_in_rounds_start()
    questions_sent()
    checkin.check_in_rounds_miss(now=timezone.now() + timedelta(hours=2))
    return CheckInRound.objects.get(status=CheckInRound.Status.MISSED), neighbour


def test_only_the_neighbours_named_and_the_referent_see_a_missed_round(
    client, community, missed_round, referent, outsider
):
    round_, neighbour = missed_round
    for viewer in (neighbour, referent):
        client.force_login(viewer)
        assert client.get(reverse("alerts:check_in_round", args=[round_.id])).status_code == 200
        assert f'data-round="{round_.id}"' in client.get(reverse("alerts:check_ins_missed")).content.decode()
    for viewer in (member_of(community), outsider):
        client.force_login(viewer)
        assert client.get(reverse("alerts:check_in_round", args=[round_.id])).status_code == 404
        assert client.post(reverse("alerts:check_in_checked", args=[round_.id])).status_code == 404
        assert (
            f'data-round="{round_.id}"' not in client.get(reverse("alerts:check_ins_missed")).content.decode()
        )
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.MISSED


def test_i_checked_closes_the_round(client, missed_round):
    round_, neighbour = missed_round
    client.force_login(neighbour)
    client.post(reverse("alerts:check_in_checked", args=[round_.id]))
    round_.refresh_from_db()
    assert round_.status == CheckInRound.Status.CHECKED and round_.checked_by == neighbour
    assert (
        "data-round-status" in client.get(reverse("alerts:check_in_round", args=[round_.id])).content.decode()
    )


def test_a_round_answered_after_the_neighbours_were_told_still_opens_from_their_link(
    client, missed_round, resident
):
    round_, neighbour = missed_round
    assert checkin.check_in_answer(resident=resident)
    client.force_login(neighbour)
    page = client.get(reverse("alerts:check_in_short", args=[round_.id]), follow=True)
    assert page.status_code == 200 and 'data-round-status="answered"' in page.content.decode()
