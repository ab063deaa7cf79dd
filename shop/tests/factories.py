from decimal import Decimal

import factory

from neighbourhoods.tests.factories import CommuneFactory
from shop.models import Product, SignageProgramme


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.Sequence(lambda n: f"Produit {n}")
    description = "Un autocollant qui dissuade."
    kind = Product.Kind.STICKER
    image = "img/shop/letterbox-sticker.svg"
    price_excl_vat = Decimal("3.25")
    vat_rate = Decimal("20.00")
    stock = 100
    is_active = True
    for_residents = True
    for_town_halls = True
    max_per_order = 50


class KitFactory(ProductFactory):
    """The seed's household sticker kit: 9.92 € excl. VAT, 11.90 € incl."""

    sku = "KIT-FOYER"
    name = "Kit d'autocollants du foyer"
    kind = Product.Kind.KIT
    price_excl_vat = Decimal("9.92")
    image = "img/shop/sticker-kit.svg"


class StreetSignFactory(ProductFactory):
    """A street sign: town halls only."""

    sku = "PAN-S"
    name = "Panneau de rue 30 × 40 cm"
    kind = Product.Kind.SIGN
    price_excl_vat = Decimal("41.58")
    image = "img/shop/street-sign.svg"
    stock = 40
    for_residents = False


class SignageProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignageProgramme
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    is_mairie_vigilante = True
    budget_remaining = Decimal("500.00")

    @factory.post_generation
    def funded_products(self, create, extracted, **kwargs):
        if create and extracted:
            self.funded_products.add(*extracted)
