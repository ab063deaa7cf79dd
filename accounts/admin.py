from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "phone", "official_role", "is_staff", "is_active"]
    list_filter = ["official_role", "is_referent", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["is_referent", "charter_accepted_at", "last_login", "date_joined"]
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
