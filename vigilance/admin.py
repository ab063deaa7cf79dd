"""The deployment's identity in the admin: one page, edited by the town hall that runs the
service (and the platform's staff, who say which town hall that is)."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.identity import LOGO_MAX_BYTES, logo_type_of, site_identity_update
from accounts.models import SiteIdentity
from accounts.roles import is_mayor_office
from neighbourhoods.selectors import official_commune

IDENTITY_FIELDSETS = [
    (
        _("The service"),
        {
            "fields": [
                "service_name",
                "commune_name",
                "commune_insee",
                "description",
                "new_logo",
                "remove_logo",
            ]
        },
    ),
    (
        _("Publisher"),
        {"fields": ["contact_email", "contact_phone", "postal_address", "siret", "publication_director"]},
    ),
    (_("Host"), {"fields": ["host_name", "host_address", "host_contact"]}),
    (_("Data protection officer"), {"fields": ["dpo_name", "dpo_email", "dpo_address"]}),
    (
        _("Accessibility"),
        {
            "fields": [
                "accessibility_status",
                "accessibility_audit_date",
                "accessibility_auditor",
                "accessibility_rate",
                "accessibility_issues",
            ]
        },
    ),
]


class SiteIdentityForm(forms.ModelForm):
    new_logo = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("PNG, JPEG, WebP or SVG, at most 200 KB; square looks best."),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = SiteIdentity
        fields = [
            name for _title, options in IDENTITY_FIELDSETS for name in options["fields"] if "logo" not in name
        ]

    def clean_new_logo(self):
        upload = self.cleaned_data.get("new_logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo must weigh at most 200 KB."), code="too_big")
        data = upload.read()
        if logo_type_of(data) is None:
            raise forms.ValidationError(
                _("The logo must be a PNG, JPEG, WebP or SVG image."), code="not_image"
            )
        return data


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    form = SiteIdentityForm
    fieldsets = IDENTITY_FIELDSETS

    def _is_its_town_hall(self, request) -> bool:
        identity = SiteIdentity.objects.filter(pk=1).only("commune_insee").first()
        commune = official_commune(request.user) if is_mayor_office(request.user) else None
        return bool(
            identity and identity.commune_insee and commune and commune.insee_code == identity.commune_insee
        )

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_its_town_hall(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["commune_insee"]

    def changelist_view(self, request, extra_context=None):
        """One identity: its list is its page."""
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        SiteIdentity.objects.get_or_create(pk=1)
        return redirect(reverse("admin:accounts_siteidentity_change", args=[1]))

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) == "1":  # the only identity, its defaults until first saved
            return SiteIdentity.objects.get_or_create(pk=1)[0]
        return None

    def save_model(self, request, obj, form, change):
        site_identity_update(
            identity=obj,
            logo=form.cleaned_data.get("new_logo"),
            remove_logo=form.cleaned_data.get("remove_logo"),
        )
