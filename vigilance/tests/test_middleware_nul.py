"""A NUL character anywhere in what a request carries (path, query string, form field) gets
400 before any view runs: PostgreSQL refuses NUL in text, so it would otherwise be a 500."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db

NUL_VALUES = ["%00", "x%00", "%00x", "a%00b%00"]


@pytest.fixture(params=["anonymous", "resident", "police_officer", "superuser"])
def visitor(request, community):
    client = Client(raise_request_exception=False)
    if request.param == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
        enable_totp(user)
        client.force_login(user)
    elif request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return client


PATHS = [
    "/communes/{v}/",
    "/communes/{v}/declare/",
    "/shop/orders/{v}/",
    "/shop/orders/{v}/invoice.pdf",
    "/town-hall/{v}/dashboard/",
    "/unsubscribe/{v}/",
]


@pytest.mark.parametrize("template", PATHS)
@pytest.mark.parametrize("value", NUL_VALUES)
def test_nul_in_a_path_segment_gets_400(visitor, template, value):
    response = visitor.get(template.format(v=value))
    assert response.status_code == 400


QUERIES = [
    "/admin/shop/order/?status__exact={v}",
    "/admin/alerts/alert/?status__exact={v}",
    "/admin/autocomplete/?term={v}&app_label=neighbourhoods&model_name=community&field_name=neighbourhood",
    "/communes/?q={v}",
    "/shop/orders/?{v}=1",
]


@pytest.mark.parametrize("template", QUERIES)
@pytest.mark.parametrize("value", NUL_VALUES)
def test_nul_in_a_query_key_or_value_gets_400(visitor, template, value):
    response = visitor.get(template.format(v=value))
    assert response.status_code == 400


FORMS = ["/communes/44190/declare/", "/profile/", "/shop/town-hall/order/", "/accounts/signup/"]


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("value", ["\x00", "x\x00", "rue des Lilas\x00"])
@pytest.mark.parametrize("multipart", [False, True])
def test_nul_in_a_posted_field_gets_400(visitor, path, value, multipart):
    data = {"first_name": value, "street": "rue des Lilas", "siret": value, "email": value}
    if multipart:
        response = visitor.post(path, data)
    else:
        response = visitor.post(
            path,
            "&".join(f"{k}={v.replace(chr(0), '%00')}" for k, v in data.items()),
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 400


def test_nul_in_a_posted_field_name_gets_400(visitor):
    response = visitor.post("/profile/", {"first_name\x00": "Anne"})
    assert response.status_code == 400


def test_requests_without_nul_are_served_as_before(client, resident, community):
    client.force_login(resident)
    insee_code = community.neighbourhood.commune.insee_code
    assert client.get(f"/communes/{insee_code}/?q=x%01").status_code == 200
    assert client.post("/profile/", {"first_name": "Anne"}).status_code != 400
