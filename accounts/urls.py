from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.profile_export, name="profile_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
]
