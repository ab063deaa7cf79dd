"""Twilio's webhooks for calls: a call's progress, and the key pressed during it.

Signed as the SMS webhooks are (alerts.webhooks): a forged or missing X-Twilio-Signature gets
403 and changes nothing. The delivery is named by `?d=<id>` in the URL the call was placed with.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services.checkin import check_in_answer_by_call
from .services.provider_status import call_acknowledge, call_status_from_provider
from .voice_text import acknowledged_twiml, press_one_again_twiml
from .webhooks import EMPTY_TWIML, _signed


def _delivery_id(request) -> int | None:
    try:
        return int(request.GET.get("d", ""))
    except ValueError:
        return None


@csrf_exempt
@require_POST
def voice_status(request):
    if not _signed(request):
        return HttpResponseForbidden()
    delivery_id = _delivery_id(request)
    if delivery_id is not None:
        call_status_from_provider(
            delivery_id=delivery_id,
            call_sid=request.POST.get("CallSid", ""),
            status=request.POST.get("CallStatus", ""),
            error_code=request.POST.get("ErrorCode", ""),
        )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def voice_gather(request):
    """Twilio posts the key pressed (`Digits`) and answers the caller with the TwiML returned."""
    if not _signed(request):
        return HttpResponseForbidden()
    delivery_id = _delivery_id(request)
    if delivery_id is None:
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")
    if request.POST.get("Digits", "").strip() == "1":
        if call_acknowledge(delivery_id=delivery_id, call_sid=request.POST.get("CallSid", "")):
            check_in_answer_by_call(delivery_id=delivery_id)  # a check-in call: its round is answered
        return HttpResponse(acknowledged_twiml(), content_type="text/xml")
    gather_url = f"{settings.SITE_URL}{reverse('alerts:voice_gather')}?d={delivery_id}"
    return HttpResponse(press_one_again_twiml(gather_url=gather_url), content_type="text/xml")
