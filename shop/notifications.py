from django.urls import reverse

from accounts.emails import send_templated_email

from .models import Order
from .selectors import order_summary


def order_notify(*, order_id: int, status: str) -> None:
    """Tells the buyer of each step of their order."""
    order = Order.objects.select_related("buyer").filter(id=order_id).first()
    if order is None or order.buyer is None:
        return
    send_templated_email(
        to=[order.buyer.email],
        template="order-status",
        context={
            "order": order,
            "summary": order_summary(order),
            "status_label": Order.Status(status).label,
            "status": status,
            "path": reverse("shop:order", args=[order.reference]),
        },
    )
