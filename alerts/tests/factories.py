import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory, enable_totp
from alerts.models import Alert, Delivery
from neighbourhoods.tests.factories import CommuneFactory, CommunityFactory


class AlertFactory(factory.django.DjangoModelFactory):
    """A published member's report in one community (pass `communities=[...]`)."""

    class Meta:
        model = Alert
        skip_postgeneration_save = True

    kind = Alert.Kind.MEMBER
    author = factory.SubFactory(UserFactory)
    commune = factory.SubFactory(CommuneFactory)
    category = Alert.Category.SUSPICIOUS_VEHICLE
    urgency = Alert.Urgency.VIGILANCE
    description = "Camionnette grise, passée trois fois lentement."
    street = "rue des Lilas"
    status = Alert.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if not create:
            return
        communities = extracted or [CommunityFactory(neighbourhood__commune=self.commune)]
        self.communities.set(communities, through_defaults={"published_at": self.published_at})


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    alert = factory.SubFactory(AlertFactory)
    recipient = factory.SubFactory(UserFactory)
    channel = Delivery.Channel.SMS
    to = factory.LazyAttribute(
        lambda o: str(o.recipient.phone) if o.channel == Delivery.Channel.SMS else o.recipient.email
    )
    status = Delivery.Status.QUEUED


class PoliceOfficerFactory(UserFactory):
    """A municipal police account: staff, in the police group, serving one commune."""

    is_staff = True
    official_commune = factory.SubFactory(CommuneFactory)

    official_role = "police"

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        if create:
            enable_totp(self)  # police must set up two-factor sign-in
