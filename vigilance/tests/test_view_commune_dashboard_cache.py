"""The dashboard's figures are counted once every DASHBOARD_CACHE_SECONDS per commune and
language, and the page says when."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept_five_minutes(private_cache, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300


def _get(client, commune, language="fr"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("commune_dashboard", args=[commune.insee_code]), headers={"accept-language": language}
        )
    assert response.status_code == 200
    counted = [q for q in queries.captured_queries if "alerts_alert" in q["sql"]]
    return response, counted


def test_a_second_view_reads_the_counted_figures(client, mayor_office, community, resident):
    commune = community.neighbourhood.commune
    AlertFactory(commune=commune, communities=[community])
    client.force_login(mayor_office)
    first, counted = _get(client, commune)
    assert counted and first.context["dashboard"].totals["alerts"] == 1
    assert "Chiffres comptés à" in first.content.decode()

    AlertFactory(commune=commune, communities=[community])
    second, counted = _get(client, commune)
    assert counted == []  # nothing counted again within five minutes
    assert second.context["dashboard"].totals["alerts"] == 1
    assert second.context["dashboard"].counted_at == first.context["dashboard"].counted_at


def test_figures_are_counted_again_once_the_time_is_over(client, mayor_office, community, settings):
    commune = community.neighbourhood.commune
    client.force_login(mayor_office)
    _get(client, commune)
    AlertFactory(commune=commune, communities=[community])
    cache.clear()  # as after DASHBOARD_CACHE_SECONDS
    response, counted = _get(client, commune)
    assert counted and response.context["dashboard"].totals["alerts"] == 1


def test_each_language_has_its_own_figures(client, mayor_office, community):
    commune = community.neighbourhood.commune
    AlertFactory(commune=commune, communities=[community], category="scam")
    client.force_login(mayor_office)
    _get(client, commune, "fr")
    response, _ = _get(client, commune, "en")
    assert "Alerts per month, over the last two years" in response.content.decode()
    assert (
        response.context["dashboard"].alerts_by_month[0]["category"]
        == "Door-to-door scam or fake utility agent"
    )
