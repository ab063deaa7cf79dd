"""Reads that take the viewing user.

Anything that shows member data goes through a function here that raises NotFound when
the viewer is not allowed to see it: a visitor, a pending member and a member of another
community all get the same answer as for a community that does not exist.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, F, Func, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.exceptions import NotFound
from accounts.roles import is_mayor_office, is_police_officer

from .models import Commune, Community, Membership, Neighbourhood, NeighbourhoodReferent, Official, Residence
from .text import normalize_place_name

Status = Membership.Status
SEARCH_LIMIT = 30
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def communes_search(query: str) -> QuerySet[Commune]:
    """Communes whose postcode starts with, or whose name contains, the query."""
    query = query.strip()
    communes = Commune.objects.prefetch_related("postcodes")
    if query.isdigit():
        if len(query) < 2:
            return communes.none()
        return communes.filter(postcodes__code__startswith=query).distinct().order_by("name")[:SEARCH_LIMIT]
    # People write "St-Herblain" and "Ste-Luce": the official names spell Saint and Sainte out.
    name = " ".join(ABBREVIATIONS.get(word, word) for word in normalize_place_name(query).split())
    if len(name) < 2:
        return communes.none()
    return communes.filter(search_name__contains=name).order_by("search_name", "insee_code")[:SEARCH_LIMIT]


def commune_neighbourhoods(commune: Commune) -> QuerySet[Neighbourhood]:
    """A commune's neighbourhoods with their communities: public information, no member data."""
    return commune.neighbourhoods.prefetch_related("communities").order_by("name")


def official_commune(user) -> Commune | None:
    """The commune a police or town-hall account acts for; None for anyone else. Read once
    per request: it is kept on the user object."""
    if not (is_police_officer(user) or is_mayor_office(user)):
        return None
    if not hasattr(user, "_official_commune"):
        post = Official.objects.select_related("commune").filter(user_id=user.id).first()
        user._official_commune = post.commune if post else None
    return user._official_commune


def official_commune_id(user) -> int | None:
    commune = official_commune(user)
    return commune.id if commune else None


def residence_commune(user) -> Commune | None:
    """The commune the resident declared they live in, if any."""
    if not user.is_authenticated:
        return None
    residence = Residence.objects.select_related("commune").filter(user_id=user.id).first()
    return residence.commune if residence else None


def can_appoint_referents(user, neighbourhood: Neighbourhood) -> bool:
    """Platform staff, and the town hall of the neighbourhood's commune, name referents."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return is_mayor_office(user) and official_commune_id(user) == neighbourhood.commune_id


def is_referent_of(user, neighbourhood: Neighbourhood) -> bool:
    return (
        user.is_authenticated
        and NeighbourhoodReferent.objects.filter(user=user, neighbourhood=neighbourhood).exists()
    )


def can_moderate_community(user, neighbourhood: Neighbourhood) -> bool:
    """The neighbourhood's referents, and platform staff, decide who joins its communities,
    remove members, and create and edit the communities."""
    return user.is_authenticated and (user.is_superuser or is_referent_of(user, neighbourhood))


def is_approved_member_of_neighbourhood(user, neighbourhood: Neighbourhood) -> bool:
    return Membership.objects.filter(
        user=user, community__neighbourhood=neighbourhood, status=Status.APPROVED
    ).exists()


def community_for_member(viewer, community_id: int) -> Community:
    """The community, if the viewer is an approved member of it; otherwise 404."""
    if not viewer.is_authenticated:
        raise NotFound
    return _checked_once(
        viewer,
        ("member", community_id),
        Community.objects.filter(
            id=community_id, memberships__user=viewer, memberships__status=Status.APPROVED
        ),
    )


MEMBER_SEARCH_FIELDS = ("user__first_name", "user__last_name", "street")
MEMBER_SEARCH_MAX_WORDS = 6
MEMBER_SEARCH_MAX_LENGTH = 100


class Unaccent(Func):
    """PostgreSQL's unaccent(), from the extension the neighbourhoods migration 0002 creates."""

    function = "UNACCENT"


def search_members(memberships: QuerySet[Membership], query: str) -> QuerySet[Membership]:
    """The memberships whose first name, last name or street contains every word of the
    query: accents and case ignored on PostgreSQL ("helene" finds "Hélène"), case only on
    SQLite (the demo)."""
    words = query[:MEMBER_SEARCH_MAX_LENGTH].split()[:MEMBER_SEARCH_MAX_WORDS]
    if not words:
        return memberships
    if connection.vendor == "postgresql":
        # One unaccented text per member (a word has no space: it cannot match across two
        # fields), searched once per word: a third of the work of one unaccent per field.
        parts = [F(MEMBER_SEARCH_FIELDS[0])]
        for path in MEMBER_SEARCH_FIELDS[1:]:
            parts += [Value(" "), F(path)]
        memberships = memberships.annotate(_search=Unaccent(Concat(*parts, output_field=CharField())))
        for word in words:
            memberships = memberships.filter(_search__icontains=Unaccent(Value(word)))
        return memberships
    for word in words:
        matches_word = Q()
        for path in MEMBER_SEARCH_FIELDS:
            matches_word |= Q(**{f"{path}__icontains": word})
        memberships = memberships.filter(matches_word)
    return memberships


def members_visible_to(viewer, community: Community, query: str = "") -> QuerySet[Membership]:
    """The community's directory as the viewer may see it, by name; only the members whose
    name or street matches every word of `query`, if given."""
    community_for_member(viewer, community.id)
    members = (
        community.memberships.filter(status=Status.APPROVED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return search_members(members, query)


# The order of a community's members by name, kept this long in the cache (see directory_order).
DIRECTORY_ORDER_SECONDS = 60


def directory_order(viewer, community: Community) -> list[int]:
    """The ids of the community's members in the directory's order (by name), for the viewer
    who may see them (its members; its referents: `as_referent`).

    Sorting 5,000 members by name on each page of the directory cost more than the rest of
    the page: the sorted ids are kept DIRECTORY_ORDER_SECONDS in the cache, and sorted again
    as soon as the number of members changes. A page shows its members as they are now
    (`memberships_in_order`): a member removed in between is left out, a new name is shown at
    once and moves to its place within the minute."""
    community_for_member(viewer, community.id)
    return _directory_order(community)


def directory_order_for_referent(viewer, community: Community) -> list[int]:
    community_for_referent(viewer, community.id)
    return _directory_order(community)


def _directory_order(community: Community) -> list[int]:
    approved = community.memberships.filter(status=Status.APPROVED)
    # The creation time too: a key of an id alone could outlive a database (tests, a restore).
    key = f"directory-order:{community.id}:{community.created_at.timestamp()}"
    ids = cache.get(key)
    if ids is None or len(ids) != approved.count():
        ids = list(
            approved.order_by("user__last_name", "user__first_name", "id").values_list("id", flat=True)
        )
        cache.set(key, ids, DIRECTORY_ORDER_SECONDS)
    return ids


def memberships_in_order(community: Community, ids: list[int]) -> list[Membership]:
    """These members of the community (still approved), with their user, in the order of `ids`."""
    rows = community.memberships.filter(id__in=ids, status=Status.APPROVED).select_related("user").in_bulk()
    return [rows[i] for i in ids if i in rows]


def member_visible_to(viewer, community: Community, membership_id: int) -> Membership:
    try:
        return members_visible_to(viewer, community).get(id=membership_id)
    except Membership.DoesNotExist:
        raise NotFound from None


def memberships_of(user) -> QuerySet[Membership]:
    """A resident's own requests and memberships, newest first."""
    return user.memberships.select_related("community__neighbourhood__commune").order_by("-requested_at")


def referent_neighbourhoods(viewer) -> QuerySet[Neighbourhood]:
    if not viewer.is_authenticated:
        return Neighbourhood.objects.none()
    return (
        Neighbourhood.objects.filter(neighbourhoodreferent__user=viewer)
        .select_related("commune")
        .prefetch_related("communities")
        .order_by("commune__name", "name")
    )


def referent_neighbourhood(viewer, neighbourhood_id: int) -> Neighbourhood:
    neighbourhood = referent_neighbourhoods(viewer).filter(id=neighbourhood_id).first()
    if neighbourhood is None:
        raise NotFound
    return neighbourhood


def community_for_referent(viewer, community_id: int) -> Community:
    """The community, if the viewer is referent for its neighbourhood; otherwise 404."""
    if not viewer.is_authenticated:
        raise NotFound
    return _checked_once(
        viewer,
        ("referent", community_id),
        Community.objects.filter(id=community_id, neighbourhood__neighbourhoodreferent__user=viewer),
    )


def _checked_once(viewer, key: tuple, communities: QuerySet[Community]) -> Community:
    """The community the viewer may see, read once per request: a page's view and the
    selectors it calls each check the viewer; the answer is kept on the user object, which
    lives as long as the request. A refusal is not kept."""
    seen = viewer.__dict__.setdefault("_communities_seen", {})
    if key not in seen:
        community = communities.select_related("neighbourhood__commune").order_by().first()
        if community is None:
            raise NotFound
        seen[key] = community
    return seen[key]


def community_of_request_for_referent(viewer, membership_id: int) -> Community:
    """The community a request was made to, if the viewer is referent for it; otherwise 404."""
    community_id = Membership.objects.filter(id=membership_id).values_list("community_id", flat=True).first()
    if community_id is None:
        raise NotFound
    return community_for_referent(viewer, community_id)


def referent_communities(viewer) -> QuerySet[Community]:
    return (
        Community.objects.filter(neighbourhood__neighbourhoodreferent__user=viewer)
        .select_related("neighbourhood__commune")
        .annotate(
            pending_count=Count("memberships", filter=Q(memberships__status=Status.PENDING)),
            member_count=Count("memberships", filter=Q(memberships__status=Status.APPROVED)),
        )
        .order_by("neighbourhood__name", "name")
    )


def pending_requests(viewer, community: Community) -> QuerySet[Membership]:
    community_for_referent(viewer, community.id)
    return (
        community.memberships.filter(status=Status.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def members_for_referent(viewer, community: Community, query: str = "") -> QuerySet[Membership]:
    """The community's members, by name; with `query`, searched as in the directory."""
    community_for_referent(viewer, community.id)
    members = (
        community.memberships.filter(status=Status.APPROVED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return search_members(members, query)


def hand_over_candidates(viewer, neighbourhood: Neighbourhood):
    """Approved members of the neighbourhood's communities who could become referent."""
    referent_neighbourhood(viewer, neighbourhood.id)
    return (
        get_user_model()
        .objects.filter(
            memberships__community__neighbourhood=neighbourhood,
            memberships__status=Status.APPROVED,
        )
        .exclude(id=viewer.id)
        .distinct()
        .order_by("last_name", "first_name")
    )


CHOICES_LIMIT = 50


def narrowed_choices(candidates: QuerySet, matching: QuerySet, keep_ids) -> tuple[QuerySet, bool]:
    """The first CHOICES_LIMIT of `matching`, plus the candidates whose ids are in `keep_ids`
    (those already chosen: a search never unchecks them); and whether more matched."""
    ids = list(matching.values_list("id", flat=True)[: CHOICES_LIMIT + 1])
    keep = [int(i) for i in keep_ids if str(i).isdigit() and len(str(i)) < 19]
    return candidates.filter(Q(id__in=ids[:CHOICES_LIMIT]) | Q(id__in=keep)), len(ids) > CHOICES_LIMIT


def absence_neighbour_choices(viewer, community: Community, query: str = "", keep_ids=()):
    """The members an absence may be shared with, for the form: at most CHOICES_LIMIT
    matching `query` (as in the directory), plus those already chosen; and whether more matched."""
    members = members_visible_to(viewer, community).exclude(user=viewer)
    return narrowed_choices(members, search_members(members, query), keep_ids)


def hand_over_choices(viewer, neighbourhood: Neighbourhood, query: str = "", keep_ids=()):
    """`hand_over_candidates` for the form: at most CHOICES_LIMIT whose name or street matches
    `query`, plus the one already chosen; and whether more matched."""
    candidates = hand_over_candidates(viewer, neighbourhood)
    if not query.split():
        return narrowed_choices(candidates, candidates, keep_ids)
    memberships = Membership.objects.filter(community__neighbourhood=neighbourhood, status=Status.APPROVED)
    matching = candidates.filter(id__in=search_members(memberships, query).values("user_id"))
    return narrowed_choices(candidates, matching, keep_ids)


def absences_visible_to(viewer):
    """Current and coming absences the viewer may watch: shared with them by name, or with
    them as referent of the neighbourhood. Their own are listed apart.

    The two ways in are read apart, each from its own index, then joined by id: as one OR,
    PostgreSQL read every current absence of the platform."""
    from .models import Absence

    current = Absence.objects.filter(ends_on__gte=timezone.localdate())
    # a neighbour who left or was removed no longer learns that a home is empty
    shared = current.filter(shared_with=viewer, community__in=watch_communities(viewer))
    as_referent = current.filter(
        share_with_referent=True, community__neighbourhood__neighbourhoodreferent__user=viewer
    )
    ids = {*shared.values_list("id", flat=True), *as_referent.values_list("id", flat=True)}
    return (
        Absence.objects.filter(id__in=ids)
        .exclude(user=viewer)
        # Only while the absent person is still a member of the community.
        .filter(community__memberships__user=F("user"), community__memberships__status=Status.APPROVED)
        .select_related("user", "community")
        .distinct()
        .order_by("starts_on", "id")
    )


def own_absences(viewer):
    return (
        viewer.absences.filter(ends_on__gte=timezone.localdate())
        .prefetch_related("shared_with")
        .order_by("starts_on")
    )


def watch_communities(viewer):
    return Community.objects.filter(memberships__user=viewer, memberships__status=Status.APPROVED).order_by(
        "name"
    )


def moderation_log_for(viewer, community_id: int):
    """The community and its moderation log, newest first (the view pages through it), for its
    members and those who moderate it; anyone else gets 404. A rejected request's name and
    reason (`shown_subject`, `shown_reason`) are for moderators only: that person never joined."""
    community = Community.objects.select_related("neighbourhood").filter(id=community_id).first()
    moderates = community is not None and can_moderate_community(viewer, community.neighbourhood)
    if not moderates:
        community = community_for_member(viewer, community_id)
    entries = community.moderation_entries.select_related("actor")
    if moderates:
        return community, entries.annotate(shown_subject=F("subject"), shown_reason=F("reason")).order_by(
            "-created_at", "-id"
        )
    # The log's action has the decision's name (services._record_decision).
    hidden = When(action=Status.REJECTED, then=Value(""))
    entries = entries.annotate(
        shown_subject=Case(hidden, default=F("subject"), output_field=CharField()),
        shown_reason=Case(hidden, default=F("reason"), output_field=CharField()),
    )
    return community, entries.order_by("-created_at", "-id")
