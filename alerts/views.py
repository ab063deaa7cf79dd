from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.forms import LandlineCodeForm, LandlineForm, add_service_error
from accounts.pagination import paginate
from accounts.views import render_profile
from neighbourhoods.selectors import community_for_member

from . import selectors
from .forms import AlertForm, FlagForm, NotificationPreferenceForm, PhoneCodeForm, ReasonForm
from .messages import UNSUBSCRIBE_SALT
from .services import landline_verification, phone_verification, preferences, publishing
from .services import moderation as alert_moderation

FEED_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 20
NOTICES_PAGE_SIZE = 10


def community_alerts(request, community_id):
    community, alerts = selectors.community_feed(request.user, community_id)
    return render(
        request,
        "alerts/feed.html",
        {"community": community, "alerts": paginate(request, alerts, FEED_PAGE_SIZE, count=False)},
    )


@login_required
def alert_create(request, community_id):
    community = community_for_member(request.user, community_id)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = publishing.alert_publish(
                author=request.user, community_id=community.id, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if alert.status == alert.Status.PENDING:
                messages.success(
                    request, _("Thank you. Your alert will be sent once the referent approves it.")
                )
            else:
                messages.success(request, _("Thank you. Your alert has been sent to your neighbours."))
            return redirect("alerts:detail", alert_id=alert.id)
    return render(request, "alerts/create.html", {"community": community, "form": form})


def alert_short(request, alert_id):
    return redirect("alerts:detail", alert_id=alert_id)


def alert_detail(request, alert_id):
    alert = selectors.alert_visible_to(request.user, alert_id)
    communities, other_communities = selectors.communities_shown(request.user, alert)
    context = {
        "alert": alert,
        "communities": communities,
        "other_communities": other_communities,
        "can_flag": selectors.can_flag(request.user, alert),
        "flag_form": FlagForm(),
        "flags": selectors.flags_for_moderator(request.user, alert),
    }
    if selectors.can_see_progress(request.user, alert):
        progress = selectors.delivery_progress(alert)
        context["progress"] = progress
        context["refresh"] = selectors.still_delivering(progress)
    return render(request, "alerts/detail.html", context)


@login_required
@require_POST
def alert_flag(request, alert_id):
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            alert_moderation.alert_flag(
                user=request.user, alert_id=alert_id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. The referent will look at this alert."))
    return redirect("alerts:detail", alert_id=alert_id)


# Referents ------------------------------------------------------------------------


@login_required
def moderation(request):
    every_published = request.GET.get("show") == "published"
    alerts = selectors.alerts_to_moderate(request.user, every_published=every_published)
    return render(
        request,
        "alerts/moderation.html",
        {
            "every_published": every_published,
            "alerts": paginate(request, alerts, MODERATION_PAGE_SIZE, count=False),
            "notices": paginate(
                request,
                selectors.notices_for_referent(request.user),
                NOTICES_PAGE_SIZE,
                param="notices_page",
                count=False,
            ),
            "reason_form": ReasonForm(),
            "log_communities": selectors.communities_with_log_for_referent(request.user),
        },
    )


@login_required
@require_POST
def alert_moderate(request, alert_id, action):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions = {
        "approve": lambda: alert_moderation.alert_approve(referent=request.user, alert_id=alert_id),
        "reject": lambda: alert_moderation.alert_reject(
            referent=request.user, alert_id=alert_id, reason=reason
        ),
        "withdraw": lambda: alert_moderation.alert_withdraw(
            referent=request.user, alert_id=alert_id, reason=reason
        ),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = {
            "approve": _("The alert is published and being sent."),
            "reject": _("The alert was rejected; its author has been told why."),
            "withdraw": _("The alert was withdrawn; those who received it are being told."),
        }
        messages.success(request, done[action])
    return redirect("alerts:moderation")


# A member's own settings ----------------------------------------------------------------


@login_required
def notification_settings(request):
    preference = selectors.preference_of(request.user)
    form = NotificationPreferenceForm(
        request.POST or None,
        instance=preference,
        initial={"sms_enabled": request.user.sms_opted_out_at is None},
    )
    if request.method == "POST" and form.is_valid():
        preferences.notification_settings_save(
            user=request.user, form_data=form.cleaned_data, preference=form.instance
        )
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("alerts:notifications")
    return render(request, "alerts/notifications.html", {"form": form, "code_form": PhoneCodeForm()})


@login_required
@require_POST
def phone_code_send(request):
    try:
        phone_verification.phone_verification_start(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A code has been sent by SMS to %(phone)s.") % {"phone": request.user.phone.as_national},
        )
    return redirect(reverse("alerts:notifications") + "#verify")


@login_required
@require_POST
def phone_code_confirm(request):
    form = PhoneCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["code"]))
        return redirect(reverse("alerts:notifications") + "#verify")
    try:
        phone_verification.phone_verification_confirm(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("alerts:notifications") + "#verify")
    messages.success(request, _("Your mobile number is verified: you will receive alerts by SMS."))
    return redirect("alerts:notifications")


# A member's landline (on the profile page; its services are alerts', so its views are here) ----


def _to_landline():
    return redirect(reverse("profile") + "#landline")


@login_required
@require_POST
def landline_save(request):
    form = LandlineForm(request.POST)
    if form.is_valid():
        try:
            changed = landline_verification.landline_set(
                user=request.user, landline=form.cleaned_data["landline"]
            )
        except ValidationError as error:
            add_service_error(form, error, field="landline")
        else:
            if changed:
                messages.success(
                    request,
                    _(
                        "Your landline is saved. Ask for a call to verify it: it is called only once verified."
                    ),
                )
            return _to_landline()
    return render_profile(request, landline_form=form)


@login_required
@require_POST
def landline_remove(request):
    landline_verification.landline_remove(user=request.user)
    messages.success(request, _("Your landline is removed: it will not be called any more."))
    return _to_landline()


@login_required
@require_POST
def landline_call(request):
    try:
        landline_verification.landline_verification_start(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("We are calling %(phone)s: a voice will read you a 6-digit code twice.")
            % {"phone": request.user.landline.as_national},
        )
    return _to_landline()


@login_required
@require_POST
def landline_confirm(request):
    form = LandlineCodeForm(request.POST)
    if form.is_valid():
        try:
            landline_verification.landline_verification_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_error(form, error, field="code")
        else:
            messages.success(request, _("Your landline is verified: it will be called for urgent alerts."))
            return _to_landline()
    return render_profile(request, landline_code_form=form)


@csrf_exempt  # mail clients post the one-click unsubscribe without a session; the token is signed
def unsubscribe(request, token):
    """One-click email unsubscribe (List-Unsubscribe), also usable from a browser."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        raise Http404 from None
    if type(user_id) is not int:  # we only ever sign account ids (bool is an int too)
        raise Http404
    if request.method == "POST":
        preferences.email_alerts_stop(user_id=user_id)
        return render(request, "alerts/unsubscribed.html")
    if not selectors.account_exists(user_id):
        # Sent before the account was deleted: nothing goes to this address any more.
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html", {"token": token})
