"""The replies to SMS received on the platform's number: templates in templates/sms/replies/,
rendered in the site's language like every SMS, in GSM-7 and one segment each (a community's
name is cut to what the segment leaves; alerts/tests/test_inbound_replies.py checks them all)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .. import sms_text as gsm

TEMPLATE_DIR = "sms/replies"
# A member of more communities than this is offered the first ones: one digit answers.
MAX_CHOICES = 9
_LEAST_NAME = 3


def render(name: str, **context) -> str:
    """One reply, spaces collapsed, in GSM-7."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{TEMPLATE_DIR}/{name}.txt", {"site_url": settings.SITE_URL, **context})
    return gsm.to_gsm7(" ".join(text.split()))


def with_community(name: str, community_name: str) -> str:
    """A reply naming a community, the name cut to what the segment leaves."""
    full = gsm.to_gsm7(" ".join(community_name.split()))
    room = gsm.SEGMENT_GSM7 - (gsm.length(render(name, community="X")) - 1)
    return render(name, community=gsm.shorten(full, max(room, _LEAST_NAME)))


def choose(community_names: list[str]) -> str:
    """ "Which community? 1 Les Lilas 2 Le Bourg: reply with the number", every name cut by the
    same amount until the question fits one segment."""
    names = [gsm.to_gsm7(" ".join(name.split())) for name in community_names[:MAX_CHOICES]]
    longest = max((gsm.length(name) for name in names), default=0)
    for room in range(longest, _LEAST_NAME - 1, -1):
        text = render("choose", choices=numbered(names, room))
        if gsm.fits_one_segment(text):
            return text
    return text


def numbered(names: list[str], room: int) -> str:
    return " ".join(f"{i} {gsm.shorten(name, room)}" for i, name in enumerate(names, start=1))
