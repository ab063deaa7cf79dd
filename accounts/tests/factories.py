import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    phone = factory.Sequence(lambda n: f"+3360000{n % 10000:04d}")
    charter_accepted_at = factory.LazyFunction(timezone.now)
    phone_verified_at = factory.LazyFunction(timezone.now)
    commune = None
    official_commune = None
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @classmethod
    def _create(cls, model_class, *args, commune=None, official_commune=None, **kwargs):
        """`commune=`: where the person declared they live; `official_commune=`: the commune a
        police or town-hall account acts for (both are rows of the neighbourhoods app)."""
        from neighbourhoods.models import Official, Residence

        user = super()._create(model_class, *args, **kwargs)
        if commune is not None:
            Residence.objects.create(user=user, commune=commune)
        if official_commune is not None:
            Official.objects.create(user=user, commune=official_commune)
        return user


# The authenticator-app secret of every role holder made by the tests (base32).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def enable_totp(user, secret: str = TEST_TOTP_SECRET) -> str:
    """Gives a user an authenticator app, as a referent or official must set one up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return secret


def totp_code(secret: str = TEST_TOTP_SECRET, *, step: int = 0) -> str:
    """The code the authenticator app shows now (`step` periods later: a code is used once).
    Near the end of a period, waits for the next one, as a person would: the server accepts
    the current period's code only, and the browser takes a moment to submit it."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period + step))
