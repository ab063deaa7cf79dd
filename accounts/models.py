from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: resident, referent, police officer or town-hall staff.

    The roles are facts on the row, read without a query (see roles.py): `official_role` says
    that an account acts for the municipal police or the town hall (neighbourhoods.Official
    says for which commune); `is_referent` is kept by the services that name and remove
    referents (neighbourhoods.NeighbourhoodReferent says for which neighbourhoods).
    """

    class OfficialRole(models.TextChoices):
        POLICE = "police", _("municipal police")
        MAYOR_OFFICE = "mayor_office", _("mayor's office")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    phone = PhoneNumberField(_("mobile phone"), blank=True)
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    sms_opted_out_at = models.DateTimeField(
        _("text messages turned off at"),
        null=True,
        blank=True,
        help_text=_("Set when the member answers STOP or turns text messages off; START clears it."),
    )
    inactivity_warned_at = models.DateTimeField(
        _("warned of deletion for inactivity at"), null=True, blank=True
    )
    show_phone = models.BooleanField(
        _("show my phone number to the members of my communities"), default=False
    )
    show_email = models.BooleanField(
        _("show my email address to the members of my communities"), default=False
    )
    official_role = models.CharField(
        _("acts for"),
        max_length=12,
        choices=OfficialRole.choices,
        blank=True,
        help_text=_("Municipal police and town-hall accounts only; give them their commune too."),
    )
    is_referent = models.BooleanField(
        _("referent"),
        default=False,
        editable=False,
        help_text=_("Set while the person is referent of at least one neighbourhood."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def can_receive_sms(self) -> bool:
        """No alert SMS ever goes to an unverified or opted-out number."""
        return bool(self.phone) and self.phone_verified_at is not None and self.sms_opted_out_at is None
