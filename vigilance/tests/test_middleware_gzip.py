"""Pages are compressed for the browsers that accept it (static files are, ahead of time)."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_compressed_to_a_browser_that_accepts_it(client):
    response = client.get(reverse("home"), headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!DOCTYPE html>" in gzip.decompress(response.content)
    assert len(response.content) < len(gzip.decompress(response.content)) / 2


def test_a_signed_in_page_is_compressed_too(client, resident, community):
    client.force_login(resident)
    response = client.get(reverse("alerts:feed", args=[community.id]), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert community.name.encode() in gzip.decompress(response.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client):
    response = client.get(reverse("home"))
    assert not response.has_header("Content-Encoding")
    assert b"<!DOCTYPE html>" in response.content
