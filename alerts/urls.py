from django.urls import path

from . import checkin_views, views, voice_webhooks, webhooks

app_name = "alerts"

urlpatterns = [
    path("communities/<int:community_id>/alerts/", views.community_alerts, name="feed"),
    path("communities/<int:community_id>/alerts/new/", views.alert_create, name="create"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="detail"),
    path("alerts/<int:alert_id>/flag/", views.alert_flag, name="flag"),
    path("a/<int:alert_id>", views.alert_short, name="short"),
    path("referent/alerts/", views.moderation, name="moderation"),
    path("referent/alerts/<int:alert_id>/<str:action>/", views.alert_moderate, name="moderate"),
    path("profile/notifications/", views.notification_settings, name="notifications"),
    path("profile/phone/send-code/", views.phone_code_send, name="phone_code_send"),
    path("profile/phone/confirm/", views.phone_code_confirm, name="phone_code_confirm"),
    path("profile/landline/", views.landline_save, name="landline_save"),
    path("profile/landline/remove/", views.landline_remove, name="landline_remove"),
    path("profile/landline/call/", views.landline_call, name="landline_call"),
    path("profile/landline/confirm/", views.landline_confirm, name="landline_confirm"),
    path("profile/check-in/", checkin_views.check_in_settings, name="check_in"),
    path("profile/check-in/stop/", checkin_views.check_in_stop, name="check_in_stop"),
    path(
        "referent/communities/<int:community_id>/members/<int:user_id>/check-in/",
        checkin_views.check_in_for_member,
        name="check_in_for_member",
    ),
    path("check-ins/missed/", checkin_views.missed_check_ins, name="check_ins_missed"),
    path("check-ins/<int:round_id>/", checkin_views.check_in_round, name="check_in_round"),
    path("check-ins/<int:round_id>/checked/", checkin_views.check_in_round_checked, name="check_in_checked"),
    path("c/<int:round_id>", checkin_views.check_in_short, name="check_in_short"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("webhooks/twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("webhooks/twilio/inbound/", webhooks.twilio_inbound, name="twilio_inbound"),
    path("webhooks/twilio/voice/status/", voice_webhooks.voice_status, name="voice_status"),
    path("webhooks/twilio/voice/gather/", voice_webhooks.voice_gather, name="voice_gather"),
]
