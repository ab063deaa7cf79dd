"""Platform staff manage accounts here. What a person also does from their own pages goes
through the same services: their profile (profile_update: a new phone number must be verified
again) and the deletion of their account (user_delete: each app erases what it holds)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_base import LargeTablePaginator
from .forms import MobilePhoneField
from .models import User
from .validators import validate_visible_name

PROFILE_FIELDS = ("first_name", "last_name", "phone", "show_phone", "show_email")


class UserChangeForm(BaseUserChangeForm):
    phone = MobilePhoneField(required=False)  # as on the profile page: alerts go to it by SMS


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    paginator = LargeTablePaginator  # no count of the whole table on each view
    show_full_result_count = False
    form = UserChangeForm
    ordering = ["last_name", "first_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "phone_number",
        "official_role",
        "is_staff",
        "is_active",
    ]
    list_filter = ["official_role", "is_referent", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["is_referent", "charter_accepted_at", "last_login", "date_joined"]

    @admin.display(description=_("mobile phone"), ordering="phone")
    def phone_number(self, user):
        """As everywhere else on the site: "06 12 34 56 78"."""
        return user.phone.as_national if user.phone else ""

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Directory"), {"fields": ("show_phone", "show_email")}),
        (
            _("Roles"),
            {
                "fields": (
                    "official_role",
                    "is_referent",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("charter_accepted_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")},
        ),
    )

    def get_form(self, request, obj=None, **kwargs):
        """Names are checked as on the signup and profile pages, on the add and change forms."""
        form = super().get_form(request, obj, **kwargs)
        for name in ("first_name", "last_name"):
            field = form.base_fields.get(name)
            if field is not None and validate_visible_name not in field.validators:
                field.validators.append(validate_visible_name)
        return form

    def save_model(self, request, obj, form, change):
        if not change:  # a new account: nothing the person did yet
            super().save_model(request, obj, form, change)
            return
        changed = set(form.changed_data)
        # The other fields are saved one by one: a full save would write back `is_referent`,
        # which the referent services keep, as it was when the page was loaded.
        others = [
            f.name for f in obj._meta.concrete_fields if f.name in changed and f.name not in PROFILE_FIELDS
        ]
        if others:
            obj.save(update_fields=others)
        profile = {name: form.cleaned_data[name] for name in PROFILE_FIELDS if name in changed}
        if profile:
            services.profile_update(user=obj, **profile)

    def get_deleted_objects(self, objs, request):
        # user_delete decides what goes with the account; the delete permissions of the rows
        # that go with it (memberships, say, are never deleted one by one) do not apply.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.user_delete(user=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(user=user)
