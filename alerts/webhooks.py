"""Twilio webhooks: delivery status callbacks and inbound SMS (reports, receipts, STOP / START).

Both check X-Twilio-Signature with the auth token against the public URL Twilio called
(SITE_URL + path + query): a forged or missing signature gets 403 and changes nothing.
"""

from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from .services.inbound import inbound_sms_handle
from .services.provider_status import delivery_status_from_provider

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
REPLY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>{}</Message></Response>'


def _signed(request) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.SITE_URL + request.get_full_path()
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature)


@csrf_exempt
@require_POST
def twilio_status(request):
    if not _signed(request):
        return HttpResponseForbidden()
    try:
        delivery_id = int(request.GET.get("d", ""))
    except ValueError:
        return HttpResponse(status=204)
    delivery_status_from_provider(
        delivery_id=delivery_id,
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not _signed(request):
        return HttpResponseForbidden()
    reply = inbound_sms_handle(
        sid=request.POST.get("MessageSid", ""),
        from_phone=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
    )
    twiml = REPLY_TWIML.format(escape(reply)) if reply else EMPTY_TWIML
    return HttpResponse(twiml, content_type="text/xml")
