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
    # A fixed line, called for urgent alerts only (read aloud), once verified by a call.
    landline = PhoneNumberField(_("landline"), blank=True)
    landline_verified_at = models.DateTimeField(_("landline verified at"), null=True, blank=True)
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


class SiteIdentity(models.Model):
    """Who runs this deployment: the commune, its contacts and its host, set once by the town
    hall in the admin. One row; read through `accounts.identity.site_identity()` by every page
    (header, titles, footer), every email and the legal pages."""

    class Accessibility(models.TextChoices):
        NOT_COMPLIANT = "none", _("not compliant")
        PARTIAL = "partial", _("partially compliant")
        FULL = "full", _("fully compliant")

    service_name = models.CharField(_("name of the service"), max_length=60, default="Vigilance")
    commune_name = models.CharField(
        _("commune"), max_length=100, blank=True, help_text=_("The commune that runs the service.")
    )
    commune_insee = models.CharField(
        _("INSEE code of the commune"),
        max_length=5,
        blank=True,
        help_text=_("Its town-hall accounts may edit this page (set by the platform's staff)."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown by search engines; a standard text when empty."),
    )
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    contact_email = models.EmailField(_("contact email address"), blank=True)
    contact_phone = models.CharField(_("contact phone number"), max_length=30, blank=True)
    postal_address = models.TextField(_("postal address of the town hall"), blank=True)
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True)
    publication_director = models.CharField(
        _("director of publication"),
        max_length=150,
        blank=True,
        help_text=_("Usually the mayor: name and title."),
    )
    host_name = models.CharField(_("host"), max_length=150, blank=True)
    host_address = models.TextField(_("postal address of the host"), blank=True)
    host_contact = models.CharField(_("phone or email address of the host"), max_length=150, blank=True)
    dpo_name = models.CharField(_("data protection officer"), max_length=150, blank=True)
    dpo_email = models.EmailField(_("email address of the data protection officer"), blank=True)
    dpo_address = models.TextField(_("postal address of the data protection officer"), blank=True)
    accessibility_status = models.CharField(
        _("accessibility"),
        max_length=10,
        choices=Accessibility.choices,
        default=Accessibility.NOT_COMPLIANT,
        help_text=_("What the last accessibility audit (RGAA) found; not compliant while there is none."),
    )
    accessibility_audit_date = models.DateField(_("date of the accessibility audit"), null=True, blank=True)
    accessibility_auditor = models.CharField(_("audit made by"), max_length=150, blank=True)
    accessibility_rate = models.PositiveSmallIntegerField(
        _("rate of RGAA criteria met (%)"), null=True, blank=True
    )
    accessibility_issues = models.TextField(
        _("contents not accessible"), blank=True, help_text=_("What the audit found, one item per line.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("identity of the service")
        verbose_name_plural = _("identity of the service")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """ "Vigilance Saint-Herblain": the service and the commune that runs it."""
        return f"{self.service_name} {self.commune_name}".strip()

    @property
    def version(self) -> str:
        """Changes with every change: part of the key of what is rendered from it."""
        return self.updated_at.isoformat() if self.updated_at else "0"
