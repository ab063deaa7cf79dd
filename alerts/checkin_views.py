"""Pages of the welfare check-in: the resident's own (on their profile), the referent's on a
member's behalf, and the missed rounds, seen only by the neighbours named and the referents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_service_error
from accounts.pagination import paginate
from neighbourhoods.selectors import community_for_referent

from . import checkin_selectors as selectors
from .checkin_forms import CheckInForm
from .services import checkin


def _enrol(request, *, resident, on_behalf: bool):
    """The form, and on a valid POST the service; returns the form, or None once saved."""
    current = selectors.check_in_of(resident)
    data = request.POST if request.method == "POST" else None
    query = " ".join(((data or request.GET).get("q") or "").split())[:100]
    named = (
        data.getlist("neighbours")
        if data is not None
        else (list(current.neighbours.values_list("id", flat=True)) if current else ())
    )
    listed, more = selectors.neighbour_choices_listed(resident, query=query, keep_ids=named)
    # "Find" narrows the neighbours listed and keeps what was chosen: not a submission.
    finding = data is not None and "find" in data
    form = CheckInForm(
        None if finding else data,
        initial=CheckInForm.initial_from_post(data) if finding else CheckInForm.initial_from(current),
        neighbour_choices=listed,
        on_behalf=on_behalf,
    )
    form.search = {"query": query, "more": more}
    if data is not None and not finding and form.is_valid():
        try:
            checkin.check_in_enrol(resident=resident, enrolled_by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return None, current
    return form, current


@login_required
def check_in_settings(request):
    form, current = _enrol(request, resident=request.user, on_behalf=False)
    if form is None:
        messages.success(request, _("Your check-in is saved."))
        return redirect("alerts:check_in")
    return render(request, "alerts/check_in.html", {"form": form, "check_in": current})


@login_required
@require_POST
def check_in_stop(request):
    if checkin.check_in_stop(resident=request.user):
        messages.success(request, _("Your check-in is stopped."))
    return redirect("alerts:check_in")


@login_required
def check_in_for_member(request, community_id, user_id):
    community = community_for_referent(request.user, community_id)
    resident = selectors.resident_for_referent(request.user, user_id)
    form, current = _enrol(request, resident=resident, on_behalf=True)
    if form is None:
        messages.success(request, _("The check-in is saved."))
        return redirect("neighbourhoods:referent_community", community.id)
    context = {"form": form, "check_in": current, "resident": resident, "community": community}
    return render(request, "alerts/check_in_for_member.html", context)


MISSED_PAGE_SIZE = 20


@login_required
def missed_check_ins(request):
    rounds = paginate(
        request, selectors.missed_rounds_visible_to(request.user), MISSED_PAGE_SIZE, count=False
    )
    return render(request, "alerts/check_ins_missed.html", {"rounds": rounds})


@login_required
def check_in_round(request, round_id):
    round_ = selectors.missed_round_for(request.user, round_id)
    return render(request, "alerts/check_in_round.html", {"round": round_})


def check_in_short(request, round_id):
    return redirect("alerts:check_in_round", round_id=round_id)


@login_required
@require_POST
def check_in_round_checked(request, round_id):
    checkin.check_in_round_checked(viewer=request.user, round_id=round_id)
    messages.success(request, _("Thank you: the check-in is closed."))
    return redirect("alerts:check_in_round", round_id=round_id)
