"""Admin pages. Platform staff see everything; a town-hall (Mairie) account sees and edits
only the neighbourhoods and referents of its own commune."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin as BaseUserAdmin
from accounts.roles import is_mayor_office

from .models import (
    Commune,
    Community,
    Membership,
    Neighbourhood,
    NeighbourhoodReferent,
    Official,
    Postcode,
    Residence,
)
from .selectors import official_commune_id


class PostcodeInline(admin.TabularInline):
    model = Postcode
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "department_code", "postcodes_display"]
    list_filter = ["department_code"]
    search_fields = ["insee_code", "name", "search_name", "postcodes__code"]
    inlines = [PostcodeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("postcodes")

    @admin.display(description="postcodes")
    def postcodes_display(self, obj):
        return ", ".join(obj.postcode_list)


class CommuneScopedAdmin(admin.ModelAdmin):
    """Lets a town-hall account manage the rows of its own commune, and nothing else."""

    commune_lookup = "commune"

    def _is_scoped(self, request):
        return not request.user.is_superuser and is_mayor_office(request.user)

    def has_module_permission(self, request):
        return self._is_scoped(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._in_scope(request, obj) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._is_scoped(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._in_scope(request, obj) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_scope(request, obj) or super().has_delete_permission(request, obj)

    def _in_scope(self, request, obj):
        if not self._is_scoped(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._is_scoped(request):
            queryset = queryset.filter(**{self.commune_lookup: official_commune_id(request.user)})
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._is_scoped(request):
            commune_id = official_commune_id(request.user)
            if db_field.name == "commune":
                kwargs["queryset"] = Commune.objects.filter(id=commune_id)
            elif db_field.name == "neighbourhood":
                kwargs["queryset"] = Neighbourhood.objects.filter(commune_id=commune_id)
            elif db_field.name == "user":
                kwargs["queryset"] = get_user_model().objects.filter(residence__commune_id=commune_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(CommuneScopedAdmin):
    list_display = ["name", "commune"]
    list_filter = [("commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "commune__name", "commune__insee_code"]
    list_select_related = ["commune"]

    def get_autocomplete_fields(self, request):
        return [] if self._is_scoped(request) else ["commune"]


@admin.register(NeighbourhoodReferent)
class NeighbourhoodReferentAdmin(CommuneScopedAdmin):
    commune_lookup = "neighbourhood__commune"
    list_display = ["user", "neighbourhood", "appointed_by", "appointed_at"]
    list_filter = [("neighbourhood", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__first_name", "user__last_name", "neighbourhood__name"]
    list_select_related = ["user", "neighbourhood__commune", "appointed_by"]
    fields = ["neighbourhood", "user"]

    def get_autocomplete_fields(self, request):
        return [] if self._is_scoped(request) else ["neighbourhood", "user"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.appointed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "created_at"]
    list_filter = [("neighbourhood__commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "neighbourhood__name", "neighbourhood__commune__name"]
    autocomplete_fields = ["neighbourhood", "created_by"]
    list_select_related = ["neighbourhood__commune"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "street", "status", "requested_at", "decided_at"]
    list_filter = ["status", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__first_name", "user__last_name", "community__name", "street"]
    autocomplete_fields = ["user", "community", "decided_by"]
    list_select_related = ["user", "community"]


class ResidenceInline(admin.StackedInline):
    model = Residence
    extra = 0
    max_num = 1
    autocomplete_fields = ["commune"]


class OfficialInline(admin.StackedInline):
    model = Official
    extra = 0
    max_num = 1
    autocomplete_fields = ["commune"]
    verbose_name = _("commune served (police or town hall)")


# The accounts app knows nothing of communes: the user's page gets its commune of residence,
# and the commune a police or town-hall account acts for, from here.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(BaseUserAdmin):
    inlines = [ResidenceInline, OfficialInline]
