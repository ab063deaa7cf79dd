"""The alert form shows every mistake in one round, and ties each error to its field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.forms import AlertForm
from alerts.models import Alert

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {
        "category": Alert.Category.REPEATED_PASSES,
        "description": "Un scooter sans plaque repasse devant les maisons depuis une heure.",
        "street": "allée des Tilleuls",
        "occurred_at": "",
        "urgency": Alert.Urgency.VIGILANCE,
        **overrides,
    }


def test_a_house_number_is_refused_with_the_other_errors_in_the_same_round():
    form = AlertForm(data(category="", description="", street="12 rue des Lilas"))
    assert not form.is_valid()
    assert set(form.errors) == {"category", "description", "street"}
    assert form.errors.as_data()["street"][0].code == "house_number"


@pytest.mark.parametrize("street", ["rue du 8 Mai 1945", "RD 723", "allée des Tilleuls"])
def test_a_street_without_house_number_is_kept_with_its_spaces_tidied(street):
    form = AlertForm(data(street=f"  {street}  "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["street"] == street


@pytest.mark.parametrize("days", [2, -40])
def test_a_date_in_the_future_or_too_old_is_refused_with_the_other_errors(days):
    when = timezone.localtime() + datetime.timedelta(days=days)
    form = AlertForm(data(description="", occurred_at=when.strftime("%Y-%m-%dT%H:%M")))
    assert set(form.errors) == {"description", "occurred_at"}


def test_the_street_label_is_a_question_without_a_colon_after_it():
    label = AlertForm()["street"].label_tag()
    assert label.endswith("?</label>"), label


def test_the_page_lists_every_error_at_once_and_ties_the_categories_to_their_fieldset(
    client, community, resident
):
    client.force_login(resident)
    url = reverse("alerts:create", args=[community.id])
    html = client.post(url, data(category="", description="", street="12 rue des Lilas")).content.decode()
    summary = html[html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))]
    assert 'role="alert"' in html[html.index('class="error-summary"') - 20 : html.index("data-error-summary")]
    for anchor in ("#id_category_0", "#id_description", "#id_street"):
        assert f'href="{anchor}"' in summary
    assert '<fieldset role="radiogroup" aria-describedby="id_category_error" aria-invalid="true">' in html
    assert 'id="id_category_error"' in html
    assert 'src="/static/js/forms.js"' in html
    assert not Alert.objects.exists()
