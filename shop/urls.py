from django.urls import path

from . import views

app_name = "shop"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cart/", views.cart_view, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.orders, name="orders"),
    path("orders/<str:reference>/", views.order_detail, name="order"),
    path("orders/<str:reference>/invoice.pdf", views.invoice, name="invoice"),
    path("town-hall/order/", views.town_hall_order, name="town_hall_order"),
    path("town-hall/orders/", views.town_hall_orders, name="town_hall_orders"),
]
