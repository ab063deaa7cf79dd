"""/profile/notifications/: channels per urgency, quiet hours, and SMS on or off."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = reverse("alerts:notifications")


def form(**overrides):
    data = {
        "information_sms": "",
        "information_email": "on",
        "vigilance_sms": "on",
        "vigilance_email": "",
        "urgent_sms": "on",
        "urgent_email": "on",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "sms_enabled": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_page_shows_the_defaults_to_a_member_without_preferences(client, resident):
    client.force_login(resident)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["sms_enabled"].value() is True
    assert not NotificationPreference.objects.filter(user=resident).exists()


def test_saving_preferences_and_quiet_hours(client, resident):
    client.force_login(resident)
    response = client.post(URL, form())
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=resident)
    assert (preference.information_sms, preference.information_email) == (False, True)
    assert (preference.vigilance_sms, preference.vigilance_email) == (True, False)
    assert (preference.urgent_sms, preference.urgent_email) == (True, True)
    assert preference.quiet_hours_start == datetime.time(22, 0)
    assert preference.quiet_hours_end == datetime.time(7, 0)
    # Saving again updates the same row.
    client.post(URL, form(quiet_hours_start="", quiet_hours_end="", vigilance_email="on"))
    preference = NotificationPreference.objects.get(user=resident)
    assert preference.quiet_hours_start is None and preference.quiet_hours_end is None
    assert preference.vigilance_email is True


@pytest.mark.parametrize("missing", ["quiet_hours_start", "quiet_hours_end"])
def test_only_one_end_of_the_quiet_hours_is_a_form_error(client, resident, missing):
    client.force_login(resident)
    response = client.post(URL, form(**{missing: ""}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="errorlist' in response.content.decode()
    assert not NotificationPreference.objects.filter(user=resident).exists()


def test_turning_sms_off_sets_the_opt_out_and_turning_it_on_clears_it(client, resident):
    client.force_login(resident)
    client.post(URL, form(sms_enabled=""))
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is not None
    assert not resident.can_receive_sms
    assert client.get(URL).context["form"]["sms_enabled"].value() is False

    client.post(URL, form(sms_enabled="on"))
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is None
    assert resident.can_receive_sms


def test_saving_with_sms_still_off_keeps_the_original_opt_out_date(client, resident):
    stopped = timezone.now() - datetime.timedelta(days=3)
    resident.sms_opted_out_at = stopped
    resident.save()
    client.force_login(resident)
    client.post(URL, form(sms_enabled=""))
    resident.refresh_from_db()
    assert resident.sms_opted_out_at == stopped


def test_a_member_cannot_change_someone_elses_preferences(client, resident, outsider):
    NotificationPreference.objects.create(user=outsider, urgent_email=True)
    client.force_login(resident)
    client.post(URL, form(urgent_email="", user=outsider.id))
    assert NotificationPreference.objects.get(user=outsider).urgent_email is True
    assert NotificationPreference.objects.get(user=resident).urgent_email is False
