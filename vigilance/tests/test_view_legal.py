"""The legal pages (accessibility statement, legal notice, privacy notice) and the identity of
the commune that runs the service, on every page."""

import pytest
from django.urls import reverse

from accounts.identity import site_identity, site_identity_update
from accounts.models import SiteIdentity

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def identity():
    identity = SiteIdentity(
        pk=1,
        service_name="Vigilance",
        commune_name="Rezé",
        commune_insee="44143",
        contact_email="mairie@reze.example",
        postal_address="1 place de la Mairie\n44400 Rezé",
        siret="21440143000019",
        publication_director="Hervé Dupont, maire",
        host_name="Hébergeur Exemple SAS",
        host_address="2 rue du Serveur, 75000 Paris",
        dpo_name="Claire Delegue",
        dpo_email="dpo@reze.example",
        accessibility_status=SiteIdentity.Accessibility.PARTIAL,
        accessibility_audit_date="2026-11-02",
        accessibility_auditor="Agence Accès",
        accessibility_rate=87,
        accessibility_issues="The PDF invoices are not tagged.\nThe admin's date picker.",
    )
    site_identity_update(identity=identity)
    return site_identity()


@pytest.mark.parametrize(
    "name", ["home", "account_login", "accessibility", "legal_notice", "privacy", "charter"]
)
def test_every_page_names_the_commune_and_links_the_legal_pages(client, identity, name):
    page = client.get(reverse(name), **EN).content.decode()
    assert "<title>" in page and "· Vigilance Rezé</title>" in page
    assert 'name="description"' in page
    assert 'class="brand-commune">Rezé<' in page
    for url in (reverse("accessibility"), reverse("legal_notice"), reverse("privacy")):
        assert f'href="{url}"' in page
    assert "Accessibility: partially compliant" in page


def test_the_footer_follows_a_change_of_identity_at_once(client, identity):
    client.get(reverse("home"), **EN)
    identity.accessibility_status = SiteIdentity.Accessibility.FULL
    identity.commune_name = "Bouguenais"
    site_identity_update(identity=identity)
    page = client.get(reverse("home"), **EN).content.decode()
    assert "Accessibility: fully compliant" in page
    assert "Vigilance Bouguenais" in page and "Rezé" not in page


def test_a_fresh_deployment_has_defaults_and_says_it_is_not_audited(client):
    page = client.get(reverse("accessibility"), **EN).content.decode()
    assert "· Vigilance</title>" in page
    assert "not compliant" in page
    assert "No accessibility audit has been made yet" in page


def test_accessibility_statement_has_status_audit_contact_and_recourse(client, identity):
    page = client.get(reverse("accessibility"), **EN).content.decode()
    assert "article 47 of law no. 2005-102" in page
    assert "<strong>partially compliant</strong>" in page
    assert "Agence Accès" in page and "87 % of the RGAA criteria" in page
    assert "<li>The PDF invoices are not tagged.</li>" in page
    assert "mailto:mairie@reze.example" in page
    assert "Défenseur des droits" in page and "formulaire.defenseurdesdroits.fr" in page


def test_legal_notice_names_publisher_director_and_host(client, identity):
    page = client.get(reverse("legal_notice"), **EN).content.decode()
    assert "published by Rezé" in page
    assert "21440143000019" in page
    assert "Hervé Dupont, maire" in page
    assert "Hébergeur Exemple SAS" in page and "2 rue du Serveur" in page


def test_privacy_notice_reads_retention_from_the_settings(client, identity, settings):
    settings.ALERT_RETENTION_DAYS = 123
    settings.DELIVERY_ADDRESS_RETENTION_DAYS = 17
    settings.INACTIVE_ACCOUNT_MONTHS = 18
    page = client.get(reverse("privacy"), **EN).content.decode()
    assert "erased 123 days after they were posted" in page
    assert "17 days, to answer questions about its delivery" in page
    assert "unused for 18 months" in page
    assert "Claire Delegue" in page and "mailto:dpo@reze.example" in page
    assert "cnil.fr/fr/plaintes" in page
    for basis in ("your consent", "public interest", "legal obligation", "legitimate interest"):
        assert basis in page


def test_legal_pages_are_in_french_by_default(client, identity):
    page = client.get(reverse("accessibility")).content.decode()
    assert "Déclaration d’accessibilité" in page or "Déclaration d'accessibilité" in page
    assert "partiellement conforme" in page


def test_favicon_is_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")


def test_refused_form_gets_the_sites_own_page(identity):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x@example.com", "password": "x"}, **EN)
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form could not be sent" in page and "Nothing was saved" in page
    assert "Vigilance Rezé" in page
