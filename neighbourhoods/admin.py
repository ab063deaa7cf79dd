"""Admin pages. Platform staff see everything; a town-hall (Mairie) account sees and edits
only the neighbourhoods and referents of its own commune.

What a page of the site also does goes through the same service here (services.py), so that
the admin applies the same rules, writes the same moderation log and sends the same emails:
naming and removing referents, deciding on requests and removing members, creating and
editing communities. Communes, neighbourhoods and the commune a police or town-hall account
serves are set here only; they have no page and no service.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin as BaseUserAdmin
from accounts.admin_base import LargeTablePaginator, ReadOnlyAdmin
from accounts.forms import add_service_error
from accounts.roles import is_mayor_office

from . import services
from .forms import RemoveMemberForm
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
from .text import normalize_place_name


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

    def save_model(self, request, obj, form, change):
        obj.search_name = normalize_place_name(obj.name)  # as import_communes does: found by name
        super().save_model(request, obj, form, change)


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


class ServiceForm(forms.ModelForm):
    """An admin form saved by a service, as the page that does the same thing is.

    A service checks and writes in one go, so it runs when the form is validated, in a
    savepoint of the admin's transaction: its refusal (a ValidationError) shows on the form
    like any other error and leaves nothing behind; the admin then logs the change and
    redirects as usual. For admins without inlines only: an inline is validated after this.
    """

    actor = None  # the signed-in user (ServiceFormAdmin.get_form)

    def save_through_service(self):
        raise NotImplementedError

    def _post_clean(self):
        # In place of the model's own validation: the service holds the rules, with its words.
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.instance = self.save_through_service()
        except ValidationError as error:
            add_service_error(self, error)


class ServiceFormAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        pass  # saved by the service when the form was validated (ServiceForm)


class ReferentAppointForm(ServiceForm):
    class Meta:
        model = NeighbourhoodReferent
        fields = ["neighbourhood", "user"]

    def save_through_service(self):
        return services.referent_appoint(appointed_by=self.actor, **self.cleaned_data)


@admin.register(NeighbourhoodReferent)
class NeighbourhoodReferentAdmin(ServiceFormAdmin, CommuneScopedAdmin):
    """Referents are named through referent_appoint and removed through referent_remove: the
    members read it in their moderation log, the new referent is emailed, and
    `User.is_referent` follows. A role is not edited: remove it and name someone else."""

    form = ReferentAppointForm
    commune_lookup = "neighbourhood__commune"
    list_display = ["user", "neighbourhood", "appointed_by", "appointed_at"]
    list_filter = [("neighbourhood", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__first_name", "user__last_name", "neighbourhood__name"]
    list_select_related = ["user", "neighbourhood__commune", "appointed_by"]
    readonly_fields = ["appointed_by", "appointed_at"]

    def get_fields(self, request, obj=None):
        return ["neighbourhood", "user"] + ([] if obj is None else ["appointed_by", "appointed_at"])

    def get_autocomplete_fields(self, request):
        return [] if self._is_scoped(request) else ["neighbourhood", "user"]

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.referent_remove(removed_by=request.user, role_id=obj.id)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for role_id in queryset.values_list("id", flat=True):
            services.referent_remove(removed_by=request.user, role_id=role_id)


class CommunityForm(ServiceForm):
    class Meta:
        model = Community
        fields = ["neighbourhood", "name", "description", "rules", "alerts_need_approval"]

    def save_through_service(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            return services.community_create(
                referent=self.actor,
                neighbourhood=data["neighbourhood"],
                name=data["name"],
                description=data["description"],
                rules=data["rules"],
            )
        return services.community_update(
            referent=self.actor,
            community=self.instance,
            name=data["name"],
            description=data["description"],
            rules=data["rules"],
            alerts_need_approval=data["alerts_need_approval"],
        )


@admin.register(Community)
class CommunityAdmin(ServiceFormAdmin):
    """Created through community_create and edited through community_update, as by a referent
    (two communities of a neighbourhood never share a name). Never deleted from under its
    members; it stays in its neighbourhood, whose referents are its referents."""

    form = CommunityForm
    list_display = ["name", "neighbourhood", "created_at"]
    list_filter = [("neighbourhood__commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "neighbourhood__name", "neighbourhood__commune__name"]
    autocomplete_fields = ["neighbourhood"]
    list_select_related = ["neighbourhood__commune"]

    def get_fields(self, request, obj=None):
        if obj is None:  # what the referent's page asks
            return ["neighbourhood", "name", "description", "rules"]
        return [
            "neighbourhood",
            "name",
            "description",
            "rules",
            "alerts_need_approval",
            "created_by",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["neighbourhood", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


class RejectForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the resident (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Rows are read here and changed only by the actions, which call the services of the
    referent's page (membership_decide, membership_remove): the resident is emailed, the
    members' log records it, `decided_by` says who. A resident asks to join, withdraws and
    leaves from the site."""

    list_display = ["user", "community", "street", "status", "requested_at", "decided_at", "decided_by"]
    # Communities are found by searching their name: a list of 20,000 in the sidebar would
    # read every membership on each view.
    list_filter = ["status"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "community__name", "street"]
    list_select_related = ["user", "community", "decided_by"]
    paginator = LargeTablePaginator  # no count of the whole table on each view
    show_full_result_count = False
    actions = ["approve_requests", "reject_requests", "remove_members"]

    def has_moderate_permission(self, request):
        # Referents decide from their own pages; here, platform staff. The services check each
        # row again (selectors.can_moderate_community).
        return request.user.is_superuser

    @admin.action(description=_("Approve the selected requests"), permissions=["moderate"])
    def approve_requests(self, request, queryset):
        def approve(membership):
            services.membership_decide(referent=request.user, membership_id=membership.id, approve=True)

        done = self._apply(request, queryset, approve)
        self._done(
            request, done, ngettext("%(count)d request approved.", "%(count)d requests approved.", done)
        )

    @admin.action(description=_("Reject the selected requests…"), permissions=["moderate"])
    def reject_requests(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(request, queryset, form, "reject_requests", gettext("Reject the requests"))

        def reject(membership):
            message = form.cleaned_data["message"]
            services.membership_decide(
                referent=request.user, membership_id=membership.id, approve=False, message=message
            )

        done = self._apply(request, queryset, reject)
        self._done(
            request, done, ngettext("%(count)d request rejected.", "%(count)d requests rejected.", done)
        )

    @admin.action(description=_("Remove the selected members…"), permissions=["moderate"])
    def remove_members(self, request, queryset):
        form = RemoveMemberForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(request, queryset, form, "remove_members", gettext("Remove members"))

        def remove(membership):
            reason = form.cleaned_data["reason"]
            services.membership_remove(referent=request.user, membership_id=membership.id, reason=reason)

        done = self._apply(request, queryset, remove)
        self._done(request, done, ngettext("%(count)d member removed.", "%(count)d members removed.", done))

    def _apply(self, request, queryset, act) -> int:
        """Acts on each row in its own transaction; says which rows the service refused, and why."""
        done = 0
        for membership in queryset.select_related("user", "community"):
            try:
                act(membership)
            except ValidationError as error:
                who = f"{membership.user} — {membership.community}"
                self.message_user(request, f"{who}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        return done

    def _done(self, request, count: int, message: str) -> None:
        if count:
            self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _ask(self, request, queryset, form, action, title):
        """The page between the list and the action, for the message the resident receives."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "memberships": queryset.select_related("user", "community"),
            "action": action,
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/neighbourhoods/membership/action_form.html", context)


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
