"""No input gives a server error: every URL pattern of the project (admin and allauth included)
with hostile path parameters, and every field of the public and member forms with hostile
values: the walk as a visitor, a resident, a police officer and the platform superuser; the
forms as whoever fills them in (visitor, newcomer, resident, police, mayor's office).

Failures are collected and shown together (method, URL, who, status), not one at a time."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import UserFactory, enable_totp
from alerts.tests.factories import AlertFactory
from shop.models import Product
from shop.tests.factories import ProductFactory, StreetSignFactory

pytestmark = pytest.mark.django_db

# What a person may type or paste: NUL, very long, non-ASCII, negative, zero, a path escape,
# a lone percent sign, an integer no column holds.
HOSTILE = ["\x00", "x" * 5000, "é中🙂", "-1", "0", "../", "%", "99999999999999999999"]
# The same, as path segments (percent-encoded); `path` converters also get a real "../".
SEGMENTS = [quote(value, safe="") for value in HOSTILE]
PATH_SEGMENTS = [*SEGMENTS, "../..", "a/../b"]
POSTED_SEGMENTS = {SEGMENTS[0], SEGMENTS[2]}  # NUL and non-ASCII
# Query strings: the parameters pages read (search, admin filters, sorting, paging, redirects).
QUERY_KEYS = ["q", "term", "status__exact", "kind__exact", "o", "p", "page", "e", "next", "d", "product"]
QUERY_VALUES = [HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[-1]]
AUTOCOMPLETE = "/admin/autocomplete/?app_label=neighbourhoods&model_name=community&field_name=neighbourhood&"
# POSTs that would end the session or the account the walk goes on with.
NOT_POSTED = {"account_logout", "logout", "account_delete"}
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
COMMON_FIELDS = ["q", "term", "email", "name", "street", "description", "siret", "code", "next"]


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + _route(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _route(pattern.pattern), pattern.name


def _route(pattern) -> str:
    """A path() route as is; a re_path() regex as a route with `<name>` for each group."""
    if hasattr(pattern, "_route"):
        return str(pattern._route)
    return REGEX_GROUP.sub(r"<\1>", pattern.regex.pattern.lstrip("^").rstrip("$"))


def hostile_urls():
    """(url, name, posted) for each pattern: each parameter in turn given each hostile value,
    the others a plain one (a converter that does not match gives 404, which is fine). To keep
    the walk short, a pattern with parameters is POSTed to with one of its hostile values only."""
    urls = []
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith(("static/", "media/")) or "\\" in route or "(" in route:
            continue
        params = re.findall(r"<(?:(\w+):)?\w+>", route)
        if not params:
            urls.append(("/" + route, name, True))
            urls += [("/" + route + "?" + query, name, False) for query in hostile_queries(QUERY_KEYS)]
            continue
        for index, converter in enumerate(params):
            for value in PATH_SEGMENTS if converter == "path" else SEGMENTS:
                values = [value if i == index else "1" for i in range(len(params))]
                urls.append(("/" + fill(route, values), name, value in POSTED_SEGMENTS))
    urls += [(AUTOCOMPLETE + query, "autocomplete", False) for query in hostile_queries(["term"])]
    return urls


def hostile_queries(keys) -> list[str]:
    return [urlencode({key: value for key in keys}) for value in QUERY_VALUES]


def fill(route: str, values: list[str]) -> str:
    given = iter(values)
    return re.sub(r"<(?:\w+:)?\w+>", lambda _match: next(given), route)


def field_names(response) -> list[str]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    names = set(FIELD_NAME.findall(response.content.decode(errors="replace")))
    return sorted(names - {"csrfmiddlewaretoken"})


def hostile_forms(fields, *, each_value: bool) -> list[dict]:
    """Nothing; every field with each hostile value in turn (or, briefly, the values spread
    over the fields)."""
    if each_value:
        return [{}, *({field: value for field in fields} for value in HOSTILE)]
    return [{}, {field: HOSTILE[i % len(HOSTILE)] for i, field in enumerate(fields)}]


def shorten(url: str) -> str:
    url = re.sub(r"x{20,}", lambda match: f"x*{len(match.group())}", url)
    return url if len(url) < 150 else url[:150] + "…"


def probe(client, url, name, who, failures, *, page=None, post=True, each_value=True) -> list[str]:
    """GET (the page that shows the form, if another), then POST hostile form data in the
    fields that page shows; returns those fields."""
    page = page or url
    response = client.get(page)
    if response.status_code >= 500:
        failures.append(f"GET {shorten(page)} as {who}: {response.status_code}")
    shown_fields = field_names(response)
    if not post or name in NOT_POSTED:
        return shown_fields
    fields = shown_fields or COMMON_FIELDS
    for data in hostile_forms(fields, each_value=each_value):
        response = client.post(url, data)
        if response.status_code >= 500:
            shown = repr(next(iter(data.values()), ""))[:20]
            failures.append(f"POST {shorten(url)} {shown}... as {who}: {response.status_code}")
    return shown_fields


@pytest.fixture
def people(community, resident, referent, police_officer):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(superuser)
    AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    ProductFactory()
    return {
        "visitor": None,
        "resident": resident,
        "referent": referent,
        "police": police_officer,
        "superuser": superuser,
    }


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["visitor", "resident", "police", "superuser"])
def test_no_url_pattern_gives_a_server_error_with_hostile_path_parameters(people, who):
    user = people[who]
    client = client_for(user)
    failures = []
    for url, name, posted in hostile_urls():
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)
        probe(client, url, name, who, failures, post=posted, each_value=False)
    assert not failures, "\n".join(failures)


@pytest.fixture
def forms(community, resident, police_officer, mayor_office):
    """(who, the page showing the form, where it posts to) for the public and member forms."""
    commune = community.neighbourhood.commune
    newcomer = UserFactory(commune=commune)
    alert = AlertFactory(author=resident, commune=commune, communities=[community])
    StreetSignFactory()
    ProductFactory()
    commune_page = reverse("neighbourhoods:commune", args=[commune.insee_code])
    notifications = reverse("alerts:notifications")
    return [
        (None, reverse("account_signup"), None),
        (None, reverse("account_login"), None),
        (None, reverse("account_reset_password"), None),
        (None, reverse("neighbourhoods:commune_search"), None),
        (newcomer, commune_page, reverse("neighbourhoods:commune_declare", args=[commune.insee_code])),
        (newcomer, reverse("neighbourhoods:community_join", args=[community.id]), None),
        (resident, reverse("alerts:create", args=[community.id]), None),
        (resident, reverse("alerts:detail", args=[alert.id]), reverse("alerts:flag", args=[alert.id])),
        (resident, reverse("neighbourhoods:absence_declare", args=[community.id]), None),
        (resident, reverse("profile"), None),
        (resident, notifications, None),
        (resident, notifications, reverse("alerts:phone_code_confirm")),
        (resident, reverse("shop:catalogue"), reverse("shop:cart_add")),
        (resident, reverse("shop:cart"), reverse("shop:checkout")),
        (police_officer, reverse("profile"), None),
        (police_officer, reverse("admin:alerts_alert_add"), None),
        (mayor_office, reverse("shop:town_hall_order"), None),
        (mayor_office, reverse("profile"), None),
    ]


def test_no_form_of_the_public_and_member_pages_gives_a_server_error_with_hostile_values(forms):
    failures, formless = [], []
    for user, page, action in forms:
        client = client_for(user)
        who = "visitor" if user is None else user.email
        if action == reverse("shop:checkout"):  # the checkout form shows with a cart only
            client.post(reverse("shop:cart_add"), {"product": Product.objects.first().id, "quantity": "1"})
        if not probe(client, action or page, action or page, who, failures, page=page):
            formless.append(page)
    assert formless == [], formless  # each page was reached and showed its form
    assert not failures, "\n".join(failures)


def test_the_walk_reaches_every_kind_of_pattern():
    names = {name for _url, name, _posted in hostile_urls()}
    assert {"commune", "order", "invoice", "account_confirm_email", "shop_order_change", "moderate"} <= names
    assert len(hostile_urls()) > 500
