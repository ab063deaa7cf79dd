from django.contrib import admin
from django.urls import include, path

from accounts.mfa import admin_login

from . import legal, views

# The admin signs in through the same login as the site: allauth's rate limits and two-factor step.
admin.site.login = admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("charter/", views.charter, name="charter"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("mentions-legales/", legal.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", legal.privacy, name="privacy"),
    path("logo/", legal.logo, name="site_logo"),
    path("favicon.ico", legal.favicon),
    path("", include("accounts.urls")),
    path("town-hall/dashboard/", views.my_commune_dashboard, name="my_commune_dashboard"),
    path("town-hall/<str:insee_code>/dashboard/", views.commune_dashboard, name="commune_dashboard"),
    path(
        "town-hall/<str:insee_code>/dashboard.csv", views.commune_dashboard_csv, name="commune_dashboard_csv"
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("neighbourhoods.urls")),
    path("", include("alerts.urls")),
    path("shop/", include("shop.urls")),
]
