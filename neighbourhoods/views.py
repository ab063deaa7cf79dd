from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_service_error
from accounts.pagination import paginate

from . import selectors, services
from .forms import (
    AbsenceForm,
    CommuneSearchForm,
    CommunityCreateForm,
    CommunityEditForm,
    DecisionForm,
    HandOverForm,
    JoinForm,
    RemoveMemberForm,
)
from .models import Commune, Community

DIRECTORY_PAGE_SIZE = 50
REQUESTS_PAGE_SIZE = 20
WATCH_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50

# Residents: find a commune, join a community ------------------------------------------


def commune_search(request):
    form = CommuneSearchForm(request.GET or None)
    communes = None
    if form.is_bound and form.is_valid():
        communes = list(selectors.communes_search(form.cleaned_data["q"]))
    return render(request, "neighbourhoods/commune_search.html", {"form": form, "communes": communes})


def commune_detail(request, insee_code):
    commune = get_object_or_404(Commune, insee_code=insee_code)
    return render(
        request,
        "neighbourhoods/commune_detail.html",
        {
            "commune": commune,
            "neighbourhoods": selectors.commune_neighbourhoods(commune),
            "home_commune": selectors.residence_commune(request.user),
        },
    )


@login_required
@require_POST
def commune_declare(request, insee_code):
    commune = get_object_or_404(Commune, insee_code=insee_code)
    services.commune_declare(user=request.user, commune=commune)
    messages.success(request, _("Your commune is now %(name)s.") % {"name": commune.name})
    return redirect("neighbourhoods:commune", insee_code=commune.insee_code)


def community_detail(request, community_id):
    """A community's public page: name, description and rules, never its members."""
    community = get_object_or_404(Community.objects.select_related("neighbourhood__commune"), id=community_id)
    membership = None
    if request.user.is_authenticated:
        membership = selectors.memberships_of(request.user).filter(community=community).first()
    return render(
        request,
        "neighbourhoods/community_detail.html",
        {"community": community, "membership": membership},
    )


@login_required
def community_join(request, community_id):
    community = get_object_or_404(Community.objects.select_related("neighbourhood__commune"), id=community_id)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                user=request.user, community=community, street=form.cleaned_data["street"]
            )
        except ValidationError as error:
            add_service_error(form, error, "street" if error.code == "house_number" else None)
        else:
            messages.success(
                request,
                _("Your request has been sent to the referent of %(community)s. You will be told by email.")
                % {"community": community.name},
            )
            return redirect("neighbourhoods:my_communities")
    return render(request, "neighbourhoods/community_join.html", {"community": community, "form": form})


@login_required
def my_communities(request):
    return render(
        request,
        "neighbourhoods/my_communities.html",
        {"memberships": selectors.memberships_of(request.user)},
    )


@login_required
@require_POST
def membership_withdraw(request, membership_id):
    try:
        services.membership_withdraw(user=request.user, membership_id=membership_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("neighbourhoods:my_communities")


@login_required
@require_POST
def membership_leave(request, membership_id):
    membership = services.membership_leave(user=request.user, membership_id=membership_id)
    messages.success(request, _("You have left %(community)s.") % {"community": membership.community.name})
    return redirect("neighbourhoods:my_communities")


# Members: the directory ------------------------------------------------------------


def directory(request, community_id):
    # No login redirect: anyone but a member gets the same 404 (the 404 page offers to log in).
    community = selectors.community_for_member(request.user, community_id)
    query = _search_query(request)
    members = _members_page(
        request, community, query, search=selectors.members_visible_to, order=selectors.directory_order
    )
    return render(
        request, "neighbourhoods/directory.html", {"community": community, "query": query, "members": members}
    )


def _members_page(request, community, query: str, *, search, order):
    """A page of the community's members: those matching `query` (`search`), or all of them in
    the order by name kept in the cache (`order`), read as they are now."""
    if query:
        return paginate(request, search(request.user, community, query=query), DIRECTORY_PAGE_SIZE)
    page = paginate(request, order(request.user, community), DIRECTORY_PAGE_SIZE)
    return replace(page, items=selectors.memberships_in_order(community, page.items))


def _search_query(request) -> str:
    """The member search typed in the page (`q`, in the query string or a posted form)."""
    raw = request.POST.get("q") if request.method == "POST" else None
    return " ".join((raw or request.GET.get("q", "")).split())[: selectors.MEMBER_SEARCH_MAX_LENGTH]


def member_detail(request, community_id, membership_id):
    community = selectors.community_for_member(request.user, community_id)
    member = selectors.member_visible_to(request.user, community, membership_id)
    return render(request, "neighbourhoods/member_detail.html", {"community": community, "member": member})


# Referents ------------------------------------------------------------------------


@login_required
def referent_home(request):
    return render(
        request,
        "neighbourhoods/referent_home.html",
        {
            "neighbourhoods": selectors.referent_neighbourhoods(request.user),
            "communities": selectors.referent_communities(request.user),
        },
    )


@login_required
def referent_community(request, community_id):
    community = selectors.community_for_referent(request.user, community_id)
    query = _search_query(request)
    pending = selectors.pending_requests(request.user, community)
    members = _members_page(
        request,
        community,
        query,
        search=selectors.members_for_referent,
        order=selectors.directory_order_for_referent,
    )
    return render(
        request,
        "neighbourhoods/referent_community.html",
        {
            "community": community,
            "query": query,
            "pending": paginate(request, pending, REQUESTS_PAGE_SIZE, param="requests_page"),
            "members": members,
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def membership_decide(request, membership_id):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        back = _back_to_requests(request, membership_id)  # 404 first, for a request out of reach
        messages.error(request, _("Choose to approve or reject the request."))
        return back
    try:
        membership = services.membership_decide(
            referent=request.user,
            membership_id=membership_id,
            approve=form.cleaned_data["decision"] == "approve",
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_requests(request, membership_id)
    if membership.status == membership.Status.APPROVED:
        messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.get_full_name()})
    else:
        messages.success(
            request, _("The request of %(name)s was rejected.") % {"name": membership.user.get_full_name()}
        )
    return redirect("neighbourhoods:referent_community", community_id=membership.community_id)


def _back_to_requests(request, membership_id):
    """Back to the list the referent decided from, so that they see the error beside it."""
    community = selectors.community_of_request_for_referent(request.user, membership_id)
    return redirect("neighbourhoods:referent_community", community_id=community.id)


@login_required
def member_remove(request, community_id, membership_id):
    community = selectors.community_for_referent(request.user, community_id)
    member = get_object_or_404(selectors.members_for_referent(request.user, community), id=membership_id)
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_remove(
                referent=request.user, membership_id=member.id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s was removed from the community.") % {"name": member.user.get_full_name()}
            )
            return redirect("neighbourhoods:referent_community", community_id=community.id)
    return render(
        request, "neighbourhoods/member_remove.html", {"community": community, "member": member, "form": form}
    )


@login_required
def community_edit(request, community_id):
    community = selectors.community_for_referent(request.user, community_id)
    form = CommunityEditForm(request.POST or None, instance=community)
    if request.method == "POST" and form.is_valid():
        services.community_update(
            referent=request.user,
            community=community,
            description=form.cleaned_data["description"],
            rules=form.cleaned_data["rules"],
            alerts_need_approval=form.cleaned_data["alerts_need_approval"],
        )
        messages.success(request, _("The community has been updated."))
        return redirect("neighbourhoods:referent_community", community_id=community.id)
    return render(request, "neighbourhoods/community_edit.html", {"community": community, "form": form})


@login_required
def community_create(request):
    neighbourhoods = selectors.referent_neighbourhoods(request.user)
    if not neighbourhoods.exists():
        return redirect("neighbourhoods:referent_home")
    form = CommunityCreateForm(request.POST or None, neighbourhoods=neighbourhoods)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(referent=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The community %(name)s has been created.") % {"name": community.name}
            )
            return redirect("neighbourhoods:referent_community", community_id=community.id)
    return render(request, "neighbourhoods/community_create.html", {"form": form})


@login_required
def referent_hand_over(request, neighbourhood_id):
    neighbourhood = selectors.referent_neighbourhood(request.user, neighbourhood_id)
    query = _search_query(request)
    candidates, more = selectors.hand_over_choices(
        request.user, neighbourhood, query=query, keep_ids=request.POST.getlist("successor")
    )
    form = HandOverForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.referent_hand_over(
                referent=request.user, neighbourhood=neighbourhood, successor=form.cleaned_data["successor"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now referent of %(neighbourhood)s.")
                % {"name": role.user.get_full_name(), "neighbourhood": neighbourhood.name},
            )
            return redirect("home")
    return render(
        request,
        "neighbourhoods/hand_over.html",
        {"neighbourhood": neighbourhood, "form": form, "query": query, "more": more},
    )


# Holiday watch ----------------------------------------------------------------------


@login_required
def watch(request):
    return render(
        request,
        "neighbourhoods/watch.html",
        {
            "absences": paginate(request, selectors.absences_visible_to(request.user), WATCH_PAGE_SIZE),
            "own": selectors.own_absences(request.user),
            "communities": selectors.watch_communities(request.user),
        },
    )


@login_required
def absence_declare(request, community_id):
    community = selectors.community_for_member(request.user, community_id)
    data = request.POST if request.method == "POST" else None
    query = _search_query(request)
    members, more = selectors.absence_neighbour_choices(
        request.user, community, query=query, keep_ids=data.getlist("neighbour_ids") if data else ()
    )
    # "Find" narrows the neighbours listed and keeps what was typed and chosen: not a submission.
    finding = data is not None and "find" in data
    if finding:
        form = AbsenceForm(initial=AbsenceForm.initial_from(data), members=members)
    else:
        form = AbsenceForm(data, members=members)
    if data is not None and not finding and form.is_valid():
        data = form.cleaned_data
        try:
            services.absence_declare(
                user=request.user,
                community_id=community.id,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                share_with_referent=data["share_with_referent"],
                neighbour_ids=[m.user_id for m in data["neighbour_ids"]],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Your absence is declared. It will be deleted a week after your return.")
            )
            return redirect("neighbourhoods:watch")
    return render(
        request,
        "neighbourhoods/absence_form.html",
        {"community": community, "form": form, "query": query, "more": more},
    )


@login_required
@require_POST
def absence_delete(request, absence_id):
    services.absence_delete(user=request.user, absence_id=absence_id)
    messages.success(request, _("Your absence has been deleted."))
    return redirect("neighbourhoods:watch")


def moderation_log(request, community_id):
    community, entries = selectors.moderation_log_for(request.user, community_id)
    return render(
        request,
        "neighbourhoods/moderation_log.html",
        {"community": community, "entries": paginate(request, entries, LOG_PAGE_SIZE, count=False)},
    )
