"""Emails speak in the name of the commune's service, not of the host name a request came to."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.identity import site_identity_update
from accounts.models import SiteIdentity

pytestmark = pytest.mark.django_db


def test_allauth_emails_greet_in_the_services_name(client, resident):
    site_identity_update(identity=SiteIdentity(pk=1, commune_name="Rezé"))
    client.post(reverse("account_reset_password"), {"email": resident.email}, HTTP_HOST="127.0.0.1")
    message = mail.outbox[-1]
    assert message.subject.startswith("[Vigilance Rezé] ")
    assert "Vigilance Rezé" in message.body
    assert "c'est 127.0.0.1" not in message.body and "from 127.0.0.1" not in message.body
