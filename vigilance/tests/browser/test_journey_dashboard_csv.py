"""Journey: a mayor's office downloads its dashboard as a CSV that French Excel opens as it
is: UTF-8 with a BOM, semicolons, decimal commas, the commune in the file's name; and the
page never shows 100 % received for messages nobody confirmed."""

import codecs
import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from alerts.models import Delivery
from alerts.tests.factories import AlertFactory
from vigilance import dashboard

from .helpers import DESKTOP, log_in

pytestmark = pytest.mark.browser


def test_the_csv_opens_in_french_spreadsheets_and_nothing_unconfirmed_reads_as_received(
    new_page, community, mayor_office, resident
):
    commune = community.neighbourhood.commune
    alert = AlertFactory(author=resident, commune=commune, communities=[community])
    statuses = ["sent", "delivered", "delivered", "failed"]
    Delivery.objects.bulk_create(
        [Delivery(alert=alert, recipient=None, channel="sms", to="x", status=s) for s in statuses]
        + [Delivery(alert=alert, recipient=None, channel="email", to="x", status="sent")]
    )
    page = new_page(viewport=DESKTOP)  # French, as the browser's locale says
    log_in(page, mayor_office.email)
    page.goto(reverse("commune_dashboard", args=[commune.insee_code]))
    assert page.locator("[data-figure=receipt-sms]").inner_text() == "66,7\u00a0%"
    assert page.locator("[data-figure=receipt-email]").inner_text() == "—"
    assert page.locator("[data-figure=no-receipt-email]").count() == 1

    csv_url = reverse("commune_dashboard_csv", args=[commune.insee_code])
    with page.expect_download() as download_info:
        page.click(f"main a[href='{csv_url}']")
    download = download_info.value
    assert download.suggested_filename == f"vigilance-{slugify(commune.name)}-{commune.insee_code}.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    with translation.override("fr"):
        words = dashboard._csv_words()
    assert rows[0] == [words["section"], words["label"], words["detail"], words["value"]]
    assert [words["messages"], "SMS", words["received"], "66,7"] in rows
    assert [words["messages"], "SMS", words["handed_off"], "75,0"] in rows
