"""What happens to an SMS received on the platform's number (Twilio's inbound webhook).

`inbound_sms_handle` answers each message once, by its MessageSid (a retried webhook gets the
same reply and changes nothing), one sender at a time (a lock per sender, so that the limits
hold across processes), in this order:

1. STOP / ARRET and START turn the sender's SMS off and on, whatever else (no reply: Twilio
   answers those itself).
2. Over 30 messages a day from a number: one reply saying so, then silence.
3. A number that is no verified member's gets one reply saying how to join, then nothing for
   30 days; an opted-out member gets nothing.
4. A member who was asked which community answers with its number (digits answer that
   question first, even "1").
5. AIDE / HELP: the keywords. STOP SUIVI: stops their welfare check-in. OK or 1: answers
   their open check-in round if they have one, else acknowledges the latest urgent alert SMS.
6. Anything else (ALERTE / ALERT first or not) is a report: over 5 an hour, one reply saying
   so; otherwise an alert of their community by `alert_publish`, as the web form makes it
   (category "other", urgency "vigilance", no street), or the question of which community.
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from phonenumber_field.phonenumber import to_python

from accounts.exceptions import NotFound
from neighbourhoods.models import Community, Membership
from neighbourhoods.text import has_house_number

from ..models import Alert, Delivery, InboundSms, SmsReportDraft
from . import checkin
from . import inbound_replies as replies
from .preferences import sms_opt_in, sms_opt_out
from .publishing import MAX_DESCRIPTION, alert_publish

User = get_user_model()
HandledAs = InboundSms.HandledAs

STOP_WORDS = {"STOP", "ARRET", "ARRÊT", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP", "YES", "DEMARRER"}
HELP_WORDS = {"AIDE", "HELP", "INFO"}
RECEIPT_WORDS = {"OK", "1"}
CHECK_IN_STOP_WORDS = {"STOP SUIVI", "ARRET SUIVI", "ARRÊT SUIVI"}
REPORT_KEYWORDS = ("ALERTE", "ALERT")

MESSAGES_PER_DAY = 30
REPORTS_PER_HOUR = 5
UNKNOWN_NUMBER_SILENCE = timedelta(days=30)
DRAFT_LIFETIME = timedelta(minutes=30)
RECEIPT_WINDOW = timedelta(hours=24)
# What counts as a report for the hourly limit: each text that is not a keyword or an answer.
REPORTS = (
    HandledAs.REPORT_PUBLISHED,
    HandledAs.REPORT_PENDING,
    HandledAs.REPORT_REFUSED,
    HandledAs.COMMUNITY_ASKED,
)
_KEYWORD = re.compile(rf"^\s*(?:{'|'.join(REPORT_KEYWORDS)})\b[\s:.,!-]*", re.IGNORECASE)


def sender_key(e164: str) -> str:
    """A keyed digest of the number: enough to count a sender's messages, useless to anyone
    without the site's secret key."""
    return salted_hmac("alerts.inbound_sms", e164).hexdigest()


def inbound_sms_handle(*, sid: str, from_phone: str, body: str) -> str:
    """Handles one inbound SMS; returns the reply to send, or "" for none."""
    number = to_python(from_phone)
    if not number or not number.is_valid():
        return ""  # an empty sender would match every account without a number
    e164, key, sid = number.as_e164, sender_key(number.as_e164), sid.strip()
    if not sid:  # not relayed by Twilio as a message: only the opt-out words, which change nothing twice
        _opt_out_or_in(e164, _normalised(body))
        return ""
    try:
        with transaction.atomic():
            _lock(key)
            seen = InboundSms.objects.filter(sid=sid).first()
            if seen is not None:
                return seen.reply
            now = timezone.now()
            handled_as, reply = _handle(e164=e164, key=key, body=body, now=now)
            InboundSms.objects.create(
                sid=sid, sender_key=key, received_at=now, handled_as=handled_as, reply=reply
            )
    except IntegrityError:
        # The same message handled at once by another process that did not take the lock
        # (SQLite): everything this one did was rolled back; its reply is the other's.
        return InboundSms.objects.get(sid=sid).reply
    return reply


def _lock(key: str) -> None:
    """One message of a sender at a time, until the transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"inbound-sms:{key}"])


def _normalised(body: str) -> str:
    return " ".join(body.split()).upper().rstrip(".!")


def _handle(*, e164: str, key: str, body: str, now) -> tuple[str, str]:
    word = _normalised(body)
    opted = _opt_out_or_in(e164, word)
    if opted:
        return opted, ""
    earlier = InboundSms.objects.filter(sender_key=key)
    if earlier.filter(received_at__gte=now - timedelta(days=1)).count() >= MESSAGES_PER_DAY:
        return _over_the_limit(earlier, since=now - timedelta(days=1))
    member = _member(e164)
    if member is None:
        return _unknown_number(earlier, now=now)
    if member.sms_opted_out_at is not None:
        return HandledAs.IGNORED, ""  # Twilio would not deliver a reply anyway
    draft = SmsReportDraft.objects.filter(sender_key=key, created_at__gte=now - DRAFT_LIFETIME).first()
    if draft is not None and word.isdigit():
        return _community_chosen(member, draft, int(word))
    if word in HELP_WORDS:
        return HandledAs.HELP, replies.render("help")
    if word in CHECK_IN_STOP_WORDS:
        stopped = checkin.check_in_stop(resident=member)
        return HandledAs.CHECK_IN_STOPPED, replies.render("check-in-stopped" if stopped else "no-check-in")
    # An open check-in round is answered first: the resident was just asked "is all well?".
    if word in RECEIPT_WORDS and checkin.check_in_answer(resident=member, now=now):
        return HandledAs.CHECK_IN_ANSWERED, replies.render("check-in-answered")
    if word in RECEIPT_WORDS:
        return _receipt(member, e164=e164, now=now)
    if word.isdigit():
        return HandledAs.IGNORED, replies.render("no-report-waiting")
    since = now - timedelta(hours=1)
    if earlier.filter(received_at__gte=since, handled_as__in=REPORTS).count() >= REPORTS_PER_HOUR:
        return _over_the_limit(earlier, since=since)
    return _report(member, key=key, description=_KEYWORD.sub("", body, count=1).strip())


def _opt_out_or_in(e164: str, word: str) -> str:
    if word in STOP_WORDS:
        sms_opt_out(phone=e164)
        return HandledAs.STOP
    if word in START_WORDS:
        sms_opt_in(phone=e164)
        return HandledAs.START
    return ""


def _over_the_limit(earlier, *, since) -> tuple[str, str]:
    if earlier.filter(received_at__gte=since, handled_as=HandledAs.RATE_LIMITED).exists():
        return HandledAs.IGNORED, ""
    return HandledAs.RATE_LIMITED, replies.render("rate-limited")


def _member(e164: str):
    """The verified member with this number (the latest verified, should two share it)."""
    return (
        User.objects.filter(phone=e164, phone_verified_at__isnull=False, is_active=True)
        .order_by("-phone_verified_at", "-id")
        .first()
    )


def _unknown_number(earlier, *, now) -> tuple[str, str]:
    if earlier.filter(
        received_at__gte=now - UNKNOWN_NUMBER_SILENCE, handled_as=HandledAs.UNKNOWN_NUMBER
    ).exists():
        return HandledAs.IGNORED, ""
    return HandledAs.UNKNOWN_NUMBER, replies.render("unknown-number")


# Reports -----------------------------------------------------------------------------------

# Words that name a street: a number just before one, or at the end of the name after it, is
# a house number ("au 12 rue des Lilas", "rue des Lilas 12"). Words also common outside an
# address ("place", "cours", "passage") are left out: a report says "sur place, 3 hommes".
_STREET_WORDS = {
    "rue", "avenue", "av", "boulevard", "bd", "chemin", "impasse", "allée", "allee", "route",
    "quai", "square", "sentier", "résidence", "residence", "lotissement", "ruelle", "venelle",
    "promenade", "esplanade", "hameau",
}  # fmt: skip
_CLAUSE_END = re.compile(r"[.;:!?()\n]")
_TOKEN = re.compile(r"\S+")
_HOUSE_NUMBER_WORD = re.compile(r"^(?:n°|no|#)?\d+(?:bis|ter|quater|[a-d])?,?$", re.IGNORECASE)


def mentions_house_number(text: str) -> bool:
    """Whether a report written as free text gives an address with a house number. Each street
    it names is checked as the web form checks its street field (`has_house_number`): the
    street word, with the number just before it ("au 12 rue", "n° 12 rue") and the rest of
    its clause, up to four words, stopping at the first word with digits that is not a plain
    number ("22h", "3x")."""
    for clause in _CLAUSE_END.split(text):
        words = _TOKEN.findall(clause)
        for i, word in enumerate(words):
            if word.strip(",").casefold() not in _STREET_WORDS:
                continue
            after = []
            for following in words[i + 1 : i + 5]:
                if any(c.isdigit() for c in following) and not _HOUSE_NUMBER_WORD.match(following):
                    break
                after.append(following)
            before = words[max(i - 2, 0) : i] if i and _HOUSE_NUMBER_WORD.match(words[i - 1]) else []
            if has_house_number(" ".join([*before, word, *after])):
                return True
    return False


def _refusal(error: ValidationError, description: str) -> str:
    fields = getattr(error, "error_dict", {})
    if "street" in fields:
        return replies.render("refused-house-number")
    if "description" in fields:
        return replies.render("refused-too-long" if len(description) > MAX_DESCRIPTION else "refused-empty")
    return replies.render("refused-other")


def _check(description: str) -> str:
    """The reply refusing the report, or "" when it may go (the service checks the rest)."""
    if not description:
        return replies.render("refused-empty")
    if mentions_house_number(description):
        return replies.render("refused-house-number")
    return ""


def _communities_of(member) -> list[Community]:
    return list(
        Community.objects.filter(memberships__user=member, memberships__status=Membership.Status.APPROVED)
        .order_by("name", "id")
        .distinct()[: replies.MAX_CHOICES]
    )


def _report(member, *, key: str, description: str) -> tuple[str, str]:
    refusal = _check(description)
    if refusal:
        return HandledAs.REPORT_REFUSED, refusal
    communities = _communities_of(member)
    if not communities:
        return HandledAs.REPORT_REFUSED, replies.render("no-community")
    if len(communities) == 1:
        return _publish(member, communities[0], description)
    SmsReportDraft.objects.update_or_create(
        sender_key=key,
        defaults={
            "body": description,
            "community_ids": [c.id for c in communities],
            "created_at": timezone.now(),
        },
    )
    return HandledAs.COMMUNITY_ASKED, replies.choose([c.name for c in communities])


def _community_chosen(member, draft: SmsReportDraft, choice: int) -> tuple[str, str]:
    communities = {c.id: c for c in _communities_of(member)}
    offered = [communities[i] for i in draft.community_ids if i in communities]
    if not offered:
        draft.delete()
        return HandledAs.REPORT_REFUSED, replies.render("no-community")
    if not 1 <= choice <= len(draft.community_ids) or draft.community_ids[choice - 1] not in communities:
        # Asked again with the communities they still belong to, numbered afresh.
        draft.community_ids = [c.id for c in offered]
        draft.save(update_fields=["community_ids"])
        return HandledAs.COMMUNITY_CHOSEN, replies.choose([c.name for c in offered])
    community = communities[draft.community_ids[choice - 1]]
    body = draft.body
    draft.delete()
    handled_as, reply = _publish(member, community, body)
    return (HandledAs.COMMUNITY_CHOSEN if handled_as != HandledAs.REPORT_REFUSED else handled_as), reply


def _publish(member, community: Community, description: str) -> tuple[str, str]:
    try:
        alert = alert_publish(
            author=member,
            community_id=community.id,
            category=Alert.Category.OTHER,
            urgency=Alert.Urgency.VIGILANCE,
            description=description,
            street="",
        )
    except ValidationError as error:
        return HandledAs.REPORT_REFUSED, _refusal(error, description)
    except NotFound:  # no longer a member since it was offered
        return HandledAs.REPORT_REFUSED, replies.render("no-community")
    if alert.status == Alert.Status.PENDING:
        return HandledAs.REPORT_PENDING, replies.with_community("pending", community.name)
    return HandledAs.REPORT_PUBLISHED, replies.with_community("published", community.name)


# Receipts ----------------------------------------------------------------------------------


def _receipt(member, *, e164: str, now) -> tuple[str, str]:
    """Acknowledges the latest urgent alert SMS sent to this member's number in the last 24
    hours and not acknowledged yet. The update is a compare-and-set: two OKs at once (or a
    retried webhook) acknowledge one delivery once."""
    candidates = Delivery.objects.filter(
        recipient=member,
        to=e164,
        channel=Delivery.Channel.SMS,
        purpose=Delivery.Purpose.ALERT,
        alert__urgency=Alert.Urgency.URGENT,
        status__in=[Delivery.Status.SENT, Delivery.Status.DELIVERED],
        sent_at__gte=now - RECEIPT_WINDOW,
        acknowledged_at__isnull=True,
    ).order_by("-sent_at", "-id")
    for delivery_id in candidates.values_list("id", flat=True)[:3]:
        if Delivery.objects.filter(id=delivery_id, acknowledged_at__isnull=True).update(acknowledged_at=now):
            return HandledAs.RECEIPT, replies.render("acknowledged")
    return HandledAs.NO_RECEIPT, replies.render("nothing-to-acknowledge")
