"""The identity of the service, edited in the admin by the town hall that runs it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.identity import site_identity, site_identity_update
from accounts.models import SiteIdentity
from accounts.tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHANGE = reverse("admin:accounts_siteidentity_change", args=[1])


def form_data(**changes):
    data = {
        "service_name": "Vigilance",
        "commune_name": "Rezé",
        "commune_insee": "44143",
        "description": "",
        "contact_email": "mairie@reze.example",
        "contact_phone": "",
        "postal_address": "",
        "siret": "",
        "publication_director": "",
        "host_name": "",
        "host_address": "",
        "host_contact": "",
        "dpo_name": "",
        "dpo_email": "",
        "dpo_address": "",
        "accessibility_status": "partial",
        "accessibility_audit_date": "",
        "accessibility_auditor": "",
        "accessibility_rate": "",
        "accessibility_issues": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def run_by_the_commune(community):
    site_identity_update(
        identity=SiteIdentity(
            pk=1, commune_name="Rezé", commune_insee=community.neighbourhood.commune.insee_code
        )
    )


def test_the_town_hall_that_runs_the_service_edits_its_identity_and_logo(
    client, mayor_office, run_by_the_commune
):
    client.force_login(mayor_office)
    insee = mayor_office.official_post.commune.insee_code
    assert client.get(reverse("admin:accounts_siteidentity_changelist")).url == CHANGE
    logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    response = client.post(
        CHANGE, form_data(commune_insee=insee, commune_name="Rezé-lès-Nantes", new_logo=logo)
    )
    assert response.status_code == 302, response.content.decode()
    identity = site_identity()
    assert identity.commune_name == "Rezé-lès-Nantes" and identity.logo_type == "image/png"
    served = client.get(reverse("site_logo"))
    assert served["Content-Type"] == "image/png" and served.content == PNG
    assert f"{reverse('site_logo')}?v=" in client.get(reverse("home")).content.decode()


def test_the_town_hall_cannot_hand_the_service_to_another_commune(client, mayor_office, run_by_the_commune):
    client.force_login(mayor_office)
    insee = mayor_office.official_post.commune.insee_code
    client.post(CHANGE, form_data(commune_insee="99999", commune_name="Autre"))
    assert site_identity().commune_insee == insee


def test_a_logo_that_is_not_an_image_is_refused_with_a_message(client, mayor_office, run_by_the_commune):
    client.force_login(mayor_office)
    page = client.post(
        CHANGE, form_data(new_logo=SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image")), **EN
    ).content.decode()
    assert "The logo must be a PNG, JPEG, WebP or SVG image." in page
    assert site_identity().logo_type == ""
    assert client.get(reverse("site_logo")).status_code == 404


def test_an_svg_logo_is_served_unable_to_run_anything(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    admin_client.post(CHANGE, form_data(new_logo=SimpleUploadedFile("l.svg", svg)))
    response = admin_client.get(reverse("site_logo"))
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        "sandbox" in response["Content-Security-Policy"]
        and "default-src 'none'" in response["Content-Security-Policy"]
    )


@pytest.mark.parametrize("who", ["police_officer", "other_town_hall"])
def test_other_officials_get_the_sites_403_page(
    client, who, police_officer, other_community, run_by_the_commune
):
    user = police_officer
    if who == "other_town_hall":
        user = UserFactory(
            is_staff=True,
            official_role="mayor_office",
            official_commune=other_community.neighbourhood.commune,
        )
        enable_totp(user)
    client.force_login(user)
    response = client.get(CHANGE, **EN)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access refused" in page and "Vigilance Rezé" in page


def test_the_admin_is_branded_and_its_sections_named(admin_client, run_by_the_commune):
    page = admin_client.get(reverse("admin:index"), **EN).content.decode()
    assert "Administration of Vigilance Rezé" in page
    assert "Django administration" not in page and "Django site admin" not in page
    for section in ("Alerts", "Neighbourhoods and communities", "Signage shop", "Identity of the service"):
        assert section in page
    assert "css/admin-extra" in page
    for url in (reverse("accessibility"), reverse("legal_notice"), reverse("privacy")):
        assert f'href="{url}"' in page
