"""Admin pages. Municipal police post warnings and notices from here, to their own commune
only, see how many people each channel will reach before sending, then follow delivery."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.admin_base import LargeTablePaginator, ReadOnlyAdmin
from accounts.forms import add_service_error
from accounts.roles import is_police_officer
from neighbourhoods.selectors import official_commune, official_commune_id

from . import selectors
from . import sms_text as gsm
from .forms import PoliceAlertForm
from .models import Alert, AlertFlag, Delivery
from .services.moderation import police_alert_withdraw
from .services.publishing import police_alert_publish, police_sms_preview, police_targets


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "purpose", "to", "status", "attempts", "error_code", "updated_at"]
    readonly_fields = fields
    max_num = 0
    show_change_link = False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    paginator = LargeTablePaginator  # no count of the whole table on each view
    show_full_result_count = False
    list_per_page = 50
    list_display = ["__str__", "kind", "urgency", "status", "commune", "published_at"]
    # No date_hierarchy: its year links read the date of every alert on each view.
    list_filter = ["kind", "status", "urgency", "category", "created_at"]
    search_fields = ["description", "street", "author__email", "commune__name"]
    list_select_related = ["commune"]

    def _police(self, request):
        return not request.user.is_superuser and is_police_officer(request.user)

    def has_module_permission(self, request):
        return self._police(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if self._police(request):
            return obj is None or obj.commune_id == official_commune_id(request.user)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_police_officer(request.user)

    def has_change_permission(self, request, obj=None):
        return False if self._police(request) else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False if self._police(request) else super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._police(request):
            queryset = queryset.filter(commune_id=official_commune_id(request.user))
        return queryset

    def add_view(self, request, form_url="", extra_context=None):
        """Post a warning: fill in, see the recipients per channel, confirm."""
        if not is_police_officer(request.user):
            raise PermissionDenied
        form = PoliceAlertForm(request.POST or None, commune=official_commune(request.user))
        counts = sms = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                communities = police_targets(
                    officer=request.user,
                    community_ids=[c.id for c in data["communities"]],
                    neighbourhood_ids=[n.id for n in data["neighbourhoods"]],
                    whole_commune=data["whole_commune"],
                )
                fields = _warning_fields(data)
                if "confirm" in request.POST:
                    try:
                        alert = police_alert_publish(
                            officer=request.user,
                            communities=communities,
                            sms_read=request.POST.get("sms_text"),
                            **fields,
                        )
                    except ValidationError as error:
                        if getattr(error, "code", None) != "sms_changed":
                            raise
                        add_service_error(form, error)  # the SMS changed since it was read: shown again
                    else:
                        self.log_addition(request, alert, [{"added": {}}])  # who posted what, when
                        messages.success(request, _("Sent. Follow the delivery below."))
                        return redirect(reverse("admin:alerts_alert_change", args=[alert.id]))
                counts = selectors.recipient_counts(
                    communities=communities,
                    kind=data["kind"],
                    urgency=data["urgency"],
                    author_id=request.user.id,
                )
                sms = police_sms_preview(officer=request.user, **fields)
            except ValidationError as error:
                add_service_error(form, error)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Post a warning"),
            "form": form,
            "counts": counts,
            "sms": sms and {"text": sms, "length": gsm.length(sms), "segments": gsm.segments(sms)},
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/alerts/alert/post_warning.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The alert and its delivery progress per channel, refreshing."""
        alert = self.get_object(request, unquote(object_id))  # None for an id that is not one
        if alert is None:
            raise Http404
        if not self.has_view_permission(request, alert):
            raise PermissionDenied
        if request.method == "POST" and "withdraw" in request.POST:
            try:
                police_alert_withdraw(
                    officer=request.user, alert_id=alert.id, reason=request.POST.get("reason", "")[:500]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The warning was withdrawn; those who received it are being told.")
                )
            return redirect(reverse("admin:alerts_alert_change", args=[alert.id]))
        progress = selectors.delivery_progress(alert)
        context = {
            **self.admin_site.each_context(request),
            "title": str(alert),
            "alert": alert,
            "progress": progress,
            "refresh": selectors.still_delivering(progress),
            "communities": alert.communities.order_by("name")[: selectors.COMMUNITIES_SHOWN],
            "other_communities": max(alert.communities.count() - selectors.COMMUNITIES_SHOWN, 0),
            "can_withdraw": alert.status == Alert.Status.PUBLISHED and alert.kind != Alert.Kind.MEMBER,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/alerts/alert/progress.html", context)


def _warning_fields(data: dict) -> dict:
    return {name: data[name] for name in ("kind", "category", "urgency", "description", "street")}


@admin.register(AlertFlag)
class AlertFlagAdmin(ReadOnlyAdmin):
    paginator = LargeTablePaginator  # no count of the whole table on each view
    show_full_result_count = False
    list_display = ["alert", "user", "reason", "created_at"]
    search_fields = ["reason", "user__email"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["alert", "channel", "purpose", "to", "status", "attempts", "error_code", "updated_at"]
    list_filter = ["channel", "status", "purpose"]
    search_fields = ["to", "provider_id"]
    list_select_related = ["alert"]
    paginator = LargeTablePaginator  # 3 million rows: no count of the whole table on each view
    show_full_result_count = False
    list_per_page = 50
