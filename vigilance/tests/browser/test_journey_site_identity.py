"""The town hall names its service once in the admin; visitors then see the commune in the
header, the titles and the legal pages linked from every page's footer."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.identity import site_identity_update
from accounts.models import SiteIdentity
from vigilance.tests.browser.helpers import DESKTOP, form_with, log_in, path_of, submit

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"


def test_town_hall_sets_the_identity_and_visitors_see_it_with_the_legal_pages(
    new_page, mayor_office, community, tmp_path
):
    site_identity_update(
        identity=SiteIdentity(pk=1, commune_insee=community.neighbourhood.commune.insee_code)
    )
    admin = new_page(viewport=DESKTOP)
    change = reverse("admin:accounts_siteidentity_change", args=[1])
    log_in(admin, mayor_office.email, next_url=reverse("admin:accounts_siteidentity_changelist"))
    assert path_of(admin) == change
    admin.fill("input[name=commune_name]", "Rezé")
    admin.fill("input[name=contact_email]", "accueil@reze.example")
    admin.fill("input[name=publication_director]", "Hervé Dupont, maire")
    admin.fill("input[name=host_name]", "Hébergeur Exemple SAS")
    admin.fill("input[name=dpo_email]", "dpo@reze.example")
    admin.select_option("select[name=accessibility_status]", "partial")
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    admin.set_input_files("input[name=new_logo]", str(logo))
    submit(admin, form_with(admin, "input[name=commune_name]"), "input[name=_save]")
    assert admin.locator(".errornote").count() == 0

    visitor = new_page()
    visitor.goto(reverse("home"))
    expect(visitor.locator(".brand")).to_contain_text("Rezé")
    assert visitor.title().endswith("Vigilance Rezé")
    logo_src = visitor.locator(".brand img").get_attribute("src")
    assert logo_src.startswith(reverse("site_logo"))
    assert visitor.request.get(logo_src).body() == PNG
    assert visitor.locator("meta[name=description]").get_attribute("content")

    footer = visitor.locator("footer")
    footer.locator(f"a[href='{reverse('accessibility')}']").click()
    expect(visitor.locator("main")).to_contain_text("partiellement conforme")
    expect(visitor.locator("main")).to_contain_text("accueil@reze.example")
    expect(visitor.locator("main")).to_contain_text("Défenseur des droits")
    visitor.locator(f"footer a[href='{reverse('legal_notice')}']").click()
    expect(visitor.locator("main")).to_contain_text("Hervé Dupont, maire")
    expect(visitor.locator("main")).to_contain_text("Hébergeur Exemple SAS")
    visitor.locator(f"footer a[href='{reverse('privacy')}']").click()
    expect(visitor.locator("main")).to_contain_text("dpo@reze.example")
    expect(visitor.locator("main a[href='https://www.cnil.fr/fr/plaintes']")).to_be_visible()


def test_refused_form_and_missing_favicon_get_the_sites_pages(new_page, live_server):
    page = new_page()
    page.goto(reverse("account_login"))
    page.context.clear_cookies()  # the CSRF cookie is gone: as with an expired page
    page.fill("input[name=login]", "x@example.com")
    page.fill("input[name=password]", "whatever-password")
    submit(page, form_with(page, "input[name=login]"))
    expect(page.locator("h1")).to_have_text("Le formulaire n’a pas pu être envoyé")
    expect(page.locator("footer")).to_contain_text("Accessibilité")
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
