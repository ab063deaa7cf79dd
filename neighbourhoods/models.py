from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    """A French municipality, from the official list (see `import_communes`)."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    department_code = models.CharField(_("department"), max_length=3, db_index=True)
    # Accent-free lower-case name (see text.normalize_place_name), filled by import_communes.
    search_name = models.CharField(
        _("name as searched"), max_length=120, db_index=True, editable=False, default=""
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]

    def __str__(self):
        return f"{self.name} ({self.department_code})"

    @property
    def postcode_list(self) -> list[str]:
        return [p.code for p in self.postcodes.all()]


class Postcode(models.Model):
    """One postcode of a commune; a commune may have several, and a postcode several communes."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("commune")
    )
    code = models.CharField(_("postcode"), max_length=5, db_index=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="unique_postcode_per_commune")
        ]

    def __str__(self):
        return self.code


class Residence(models.Model):
    """The commune a resident says they live in (they may then ask to join its communities)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="residence",
        verbose_name=_("resident"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="residences", verbose_name=_("commune of residence")
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now=True)

    class Meta:
        verbose_name = _("commune of residence")
        verbose_name_plural = _("communes of residence")

    def __str__(self):
        return f"{self.user} — {self.commune}"


class Official(models.Model):
    """The only commune a municipal police or town-hall account acts for (its role is
    `User.official_role`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="official_post",
        verbose_name=_("account"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="officials", verbose_name=_("commune served")
    )

    class Meta:
        verbose_name = _("commune served (police or town hall)")
        verbose_name_plural = _("communes served (police or town hall)")

    def __str__(self):
        return f"{self.user} — {self.commune}"


class Neighbourhood(models.Model):
    """A named part of a commune (quartier)."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("commune")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="NeighbourhoodReferent",
        through_fields=("neighbourhood", "user"),
        related_name="referent_for",
        blank=True,
        verbose_name=_("referents"),
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["commune__name", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="unique_neighbourhood_name")]

    def __str__(self):
        return f"{self.name} — {self.commune.name}"


class NeighbourhoodReferent(models.Model):
    """Names a user referent for one neighbourhood."""

    # PROTECT: a neighbourhood goes only once its referents are removed (referent_remove),
    # so that `User.is_referent` stays true to these rows.
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, verbose_name=_("neighbourhood")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referent_roles",
        verbose_name=_("referent"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referent")
        verbose_name_plural = _("referents")
        constraints = [models.UniqueConstraint(fields=["neighbourhood", "user"], name="unique_referent")]

    def __str__(self):
        return f"{self.user} — {self.neighbourhood}"


class Community(models.Model):
    """The residents of a neighbourhood, or of a few of its streets, who watch together."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("neighbourhood"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    rules = models.TextField(_("rules"), blank=True, max_length=8000)
    alerts_need_approval = models.BooleanField(
        _("members' alerts wait for the referent's approval"),
        default=False,
        help_text=_("Otherwise a member's alert is published at once; the referent can still withdraw it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["neighbourhood__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="unique_community_name")
        ]

    def __str__(self):
        return self.name

    @property
    def commune(self) -> Commune:
        return self.neighbourhood.commune


class Membership(models.Model):
    """A resident's request to join a community, and then their membership."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("member")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REMOVED = "removed", _("removed")
        LEFT = "left", _("left")

    ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("resident"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    street = models.CharField(
        _("street"),
        max_length=150,
        help_text=_("The name of your street only, never a house number."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_message = models.TextField(_("message"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_active_membership_per_community",
                violation_error_message=_("You have already asked to join this community."),
            )
        ]
        # A community's members, or its requests, counted from the index alone.
        indexes = [models.Index(fields=["community", "status"], name="membership_community_status")]

    def __str__(self):
        return f"{self.user} — {self.community} ({self.get_status_display()})"


class Absence(models.Model):
    """A member away from home (holiday watch), shown only to those they chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences", verbose_name=_("member")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="absences", verbose_name=_("community")
    )
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("back on"))
    note = models.CharField(
        _("note for those watching (optional)"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. “a neighbour waters the garden on Saturdays”. Never a door code or where a key is."
        ),
    )
    share_with_referent = models.BooleanField(_("my referent may see it"), default=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="absences_watched",
        verbose_name=_("neighbours who may see it"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.starts_on}–{self.ends_on}"


class ModerationEntry(models.Model):
    """One moderation action in a community, shown to its members in the moderation log."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("request approved")
        REJECTED = "rejected", _("request rejected")
        REMOVED = "removed", _("member removed")
        ALERT_APPROVED = "alert_approved", _("alert approved")
        ALERT_REJECTED = "alert_rejected", _("alert rejected")
        ALERT_WITHDRAWN = "alert_withdrawn", _("alert withdrawn")
        POLICE_WARNING = "police_warning", _("police warning posted")
        REFERENT_APPOINTED = "referent_named", _("referent named")
        REFERENT_REMOVED = "referent_gone", _("referent no longer in charge")
        COMMUNITY_EDITED = "edited", _("description or rules edited")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_entries", verbose_name=_("community")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("about"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        # A community's log, newest first, read a page at a time whatever its length.
        indexes = [models.Index(fields=["community", "-created_at", "-id"], name="moderation_log_page")]

    def __str__(self):
        return f"{self.get_action_display()} — {self.community}"
