"""Product pictures must be static files that exist, or the catalogue could not be rendered."""

import io

import pytest

from shop.admin import ProductForm

pytestmark = pytest.mark.django_db


def form(image):
    return ProductForm(
        data={
            "sku": "T-1",
            "name": "Test",
            "kind": "sticker",
            "image": image,
            "price_excl_vat": "1.00",
            "vat_rate": "20.00",
            "stock": "1",
            "max_per_order": "5",
            "is_active": "on",
            "for_residents": "on",
        }
    )


def test_an_existing_static_picture_is_accepted():
    assert form("img/shop/sticker-kit.svg").is_valid()


def test_a_missing_picture_is_refused():
    bad = form("shop/sticker-kit.svg")
    assert not bad.is_valid()
    assert "image" in bad.errors


def test_seeded_products_use_existing_pictures():
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    from shop.models import Product

    call_command("seed_demo", stdout=io.StringIO())
    assert all(finders.find(p.image) for p in Product.objects.all())
