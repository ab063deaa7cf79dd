import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory, enable_totp
from neighbourhoods.models import (
    Commune,
    Community,
    Membership,
    Neighbourhood,
    NeighbourhoodReferent,
    Postcode,
)
from neighbourhoods.text import normalize_place_name


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)
        skip_postgeneration_save = True

    insee_code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department_code = "44"
    search_name = factory.LazyAttribute(lambda o: normalize_place_name(o.name))
    postcode = factory.RelatedFactory(
        "neighbourhoods.tests.factories.PostcodeFactory", factory_related_name="commune"
    )


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode

    code = factory.LazyAttribute(lambda o: o.commune.insee_code)


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Communauté {n}")
    description = "Les voisins de la rue."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..community.neighbourhood.commune"))
    community = factory.SubFactory(CommunityFactory)
    street = "rue des Lilas"
    status = Membership.Status.APPROVED
    decided_at = factory.LazyFunction(timezone.now)


class ReferentFactory(factory.django.DjangoModelFactory):
    """A referent, with the two-factor sign-in every referent must set up."""

    class Meta:
        model = NeighbourhoodReferent
        skip_postgeneration_save = True

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    user = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..neighbourhood.commune"))

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        if create:
            # what neighbourhoods.services does when it names a referent
            type(self.user).objects.filter(id=self.user_id).update(is_referent=True)
            self.user.is_referent = True
            enable_totp(self.user)
