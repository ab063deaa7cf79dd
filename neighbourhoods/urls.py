from django.urls import path

from . import views

app_name = "neighbourhoods"

urlpatterns = [
    path("communes/", views.commune_search, name="commune_search"),
    path("communes/<str:insee_code>/", views.commune_detail, name="commune"),
    path("communes/<str:insee_code>/declare/", views.commune_declare, name="commune_declare"),
    path("communities/<int:community_id>/", views.community_detail, name="community"),
    path("communities/<int:community_id>/join/", views.community_join, name="community_join"),
    path("communities/<int:community_id>/directory/", views.directory, name="directory"),
    path(
        "communities/<int:community_id>/members/<int:membership_id>/",
        views.member_detail,
        name="member",
    ),
    path("communities/<int:community_id>/log/", views.moderation_log, name="moderation_log"),
    path("my-communities/", views.my_communities, name="my_communities"),
    path("memberships/<int:membership_id>/withdraw/", views.membership_withdraw, name="membership_withdraw"),
    path("memberships/<int:membership_id>/leave/", views.membership_leave, name="membership_leave"),
    path("watch/", views.watch, name="watch"),
    path("communities/<int:community_id>/absences/new/", views.absence_declare, name="absence_declare"),
    path("absences/<int:absence_id>/delete/", views.absence_delete, name="absence_delete"),
    path("referent/", views.referent_home, name="referent_home"),
    path("referent/communities/new/", views.community_create, name="community_create"),
    path("referent/communities/<int:community_id>/", views.referent_community, name="referent_community"),
    path("referent/communities/<int:community_id>/edit/", views.community_edit, name="community_edit"),
    path(
        "referent/communities/<int:community_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("referent/requests/<int:membership_id>/decide/", views.membership_decide, name="membership_decide"),
    path(
        "referent/neighbourhoods/<int:neighbourhood_id>/hand-over/",
        views.referent_hand_over,
        name="referent_hand_over",
    ),
]
