"""Twilio webhooks: delivery status callbacks and inbound SMS (STOP / START).

Both check X-Twilio-Signature with the auth token against the public URL Twilio called
(SITE_URL + path + query): a forged or missing signature gets 403 and changes nothing.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from phonenumber_field.phonenumber import to_python
from twilio.request_validator import RequestValidator

from .services.preferences import sms_opt_in, sms_opt_out
from .services.provider_status import delivery_status_from_provider

STOP_WORDS = {"STOP", "ARRET", "ARRÊT", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP", "YES", "DEMARRER"}
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


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
    word = request.POST.get("Body", "").strip().upper()
    phone = to_python(request.POST.get("From", ""))
    if not phone or not phone.is_valid():
        # An empty sender would match every account without a number.
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")
    if word in STOP_WORDS:
        sms_opt_out(phone=str(phone))
    elif word in START_WORDS:
        sms_opt_in(phone=str(phone))
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
