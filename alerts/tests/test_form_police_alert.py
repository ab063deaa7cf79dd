"""The police's form refuses, before anything is sent, a message too long for its SMS, with
the room a confidential notice leaves (its SMS starts with "Confidential")."""

import pytest

from alerts.forms import PoliceAlertForm
from alerts.messages import POLICE_MESSAGE_MAX, police_message_max
from alerts.models import Alert

pytestmark = pytest.mark.django_db


def form(community, kind: str, description: str) -> PoliceAlertForm:
    return PoliceAlertForm(
        {
            "kind": kind,
            "communities": [community.id],
            "category": Alert.Category.OTHER,
            "urgency": Alert.Urgency.VIGILANCE,
            "description": description,
        },
        commune=community.neighbourhood.commune,
    )


def test_a_notice_as_long_as_the_longest_warning_is_refused_by_the_form(community):
    longest_warning = "x" * POLICE_MESSAGE_MAX
    assert form(community, Alert.Kind.POLICE, longest_warning).is_valid()
    notice = form(community, Alert.Kind.NOTICE, longest_warning)
    assert not notice.is_valid()
    assert notice.errors.as_data()["description"][0].code == "too_long_for_sms"
    assert form(community, Alert.Kind.NOTICE, "x" * police_message_max(Alert.Kind.NOTICE)).is_valid()
