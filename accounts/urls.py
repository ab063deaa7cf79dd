from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.profile_export, name="profile_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    # Before allauth's own views at the same addresses (vigilance/urls.py includes this first).
    path("accounts/2fa/totp/activate/", views.totp_activate),
    path("accounts/2fa/recovery-codes/", views.recovery_codes),
]
