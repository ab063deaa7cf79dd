from datetime import time

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from alerts.checkin_models import CheckIn
from alerts.services import checkin
from alerts.tests.checkin_support import member_of

pytestmark = pytest.mark.django_db

CHOICES = {
    "weekdays": [0, 3],
    "hour": time(10, 0),
    "channel": "sms",
    "answer_delay": 60,
    "shared_text": "Clé chez Mme X",
}


def test_a_resident_enrols_themselves_with_neighbours_of_their_community(community, resident):
    neighbour = member_of(community)
    check_in = checkin.check_in_enrol(
        resident=resident, enrolled_by=resident, neighbour_ids=[neighbour.id], **CHOICES
    )
    assert check_in.weekday_list() == [0, 3]
    assert list(check_in.neighbours.all()) == [neighbour]
    assert check_in.active and check_in.consent_recorded_at is None and check_in.enrolled_by == resident


def test_a_referent_enrols_a_member_with_their_consent_recorded(community, resident, referent):
    neighbour = member_of(community)
    check_in = checkin.check_in_enrol(
        resident=resident, enrolled_by=referent, neighbour_ids=[neighbour.id], consent=True, **CHOICES
    )
    assert check_in.enrolled_by == referent and check_in.consent_recorded_at is not None


def test_a_referent_without_the_residents_consent_is_refused(community, resident, referent):
    neighbour = member_of(community)
    with pytest.raises(ValidationError) as error:
        checkin.check_in_enrol(
            resident=resident, enrolled_by=referent, neighbour_ids=[neighbour.id], **CHOICES
        )
    assert "consent" in error.value.error_dict
    assert not CheckIn.objects.exists()


def test_someone_who_is_not_their_referent_cannot_enrol_a_resident(community, resident, outsider):
    neighbour = member_of(community)
    with pytest.raises(NotFound):
        checkin.check_in_enrol(
            resident=resident, enrolled_by=outsider, neighbour_ids=[neighbour.id], consent=True, **CHOICES
        )


def test_a_neighbour_from_another_community_cannot_be_named(community, resident, outsider):
    with pytest.raises(ValidationError) as error:
        checkin.check_in_enrol(
            resident=resident, enrolled_by=resident, neighbour_ids=[outsider.id], **CHOICES
        )
    assert "neighbours" in error.value.error_dict


def test_a_delay_outside_30_to_240_minutes_is_refused(community, resident):
    neighbour = member_of(community)
    with pytest.raises(ValidationError):
        checkin.check_in_enrol(
            resident=resident,
            enrolled_by=resident,
            neighbour_ids=[neighbour.id],
            **{**CHOICES, "answer_delay": 10},
        )


def test_stopping_turns_the_check_in_off(community, resident):
    neighbour = member_of(community)
    checkin.check_in_enrol(resident=resident, enrolled_by=resident, neighbour_ids=[neighbour.id], **CHOICES)
    assert checkin.check_in_stop(resident=resident)
    assert not CheckIn.objects.get(resident=resident).active
    assert not checkin.check_in_stop(resident=resident)
