"""The notifications page groups its choices in fieldsets, each with a legend, and ties the
quiet-hours error to the two times it is about."""

import re

import pytest
from django.urls import reverse

from alerts.forms import NotificationPreferenceForm

pytestmark = pytest.mark.django_db
URL = reverse("alerts:notifications")
ON = {"information_email": "on", "vigilance_sms": "on", "urgent_sms": "on", "urgent_email": "on"}


def fieldsets(html: str) -> list[tuple[str, list[str]]]:
    groups = re.findall(r'<fieldset class="field-group"><legend>(.*?)</legend>(.*?)</fieldset>', html, re.S)
    return [(legend, re.findall(r'<input[^>]* name="(\w+)"', body)) for legend, body in groups]


def test_every_choice_is_in_a_fieldset_with_a_legend(client, resident):
    client.force_login(resident)
    html = client.get(URL).content.decode()
    groups = fieldsets(html)
    assert [names for _, names in groups] == [
        list(names) for _, names in NotificationPreferenceForm.FIELD_GROUPS
    ]
    assert all(legend.strip() for legend, _ in groups)
    grouped = [name for _, names in groups for name in names]
    assert sorted(grouped) == sorted(NotificationPreferenceForm().fields)


def test_the_quiet_hours_error_describes_the_two_times_only(client, resident):
    client.force_login(resident)
    html = client.post(URL, {**ON, "sms_enabled": "on", "quiet_hours_start": "22:00"}).content.decode()
    assert '<ul class="errorlist nonfield" id="form-error"><li><a href="#id_quiet_hours_start">' in html
    for name in ("quiet_hours_start", "quiet_hours_end"):
        field = re.search(rf'<input[^>]* name="{name}"[^>]*>', html).group(0)
        assert re.search(r'aria-describedby="[^"]*\bform-error\b', field), field
        assert 'aria-invalid="true"' in field
    sms = re.search(r'<input[^>]* name="sms_enabled"[^>]*>', html).group(0)
    assert "form-error" not in sms and "aria-invalid" not in sms
