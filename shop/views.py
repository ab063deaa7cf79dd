from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pagination import paginate

from . import cart, selectors, services
from .forms import CheckoutForm, TownHallOrderForm
from .invoice_pdf import invoice_pdf

ORDERS_PAGE_SIZE = 20


def catalogue(request):
    return render(
        request,
        "shop/catalogue.html",
        {
            "products": selectors.catalogue(request.user),
            "can_order": selectors.can_order(request.user),
            "offered": selectors.offered_product_ids(request.user),
        },
    )


@login_required
@require_POST
def cart_add(request):
    if not selectors.can_order(request.user):
        messages.error(request, _("Join a community of your neighbourhood before ordering."))
        return redirect("shop:catalogue")
    try:
        cart.set_quantity(
            request.session,
            product_id=request.POST.get("product"),
            quantity=request.POST.get("quantity", "1"),
            add=True,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("shop:catalogue")
    messages.success(request, _("Added to your cart."))
    return redirect("shop:cart")


@login_required
def cart_view(request):
    if request.method == "POST":
        product_id = request.POST.get("product")
        # The charged row of a product the town hall offers sets the charged units: the offered one stays.
        keep_offered = bool(request.POST.get("charged")) and str(product_id) in {
            str(i) for i in selectors.offered_product_ids(request.user)
        }
        try:
            cart.set_quantity(
                request.session,
                product_id=product_id,
                quantity=request.POST.get("quantity"),
                offered_units=int(keep_offered),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("shop:cart")
    return _cart_page(request, CheckoutForm())


def _cart_page(request, form: CheckoutForm):
    for name in cart.drop_unavailable(request.session):
        messages.warning(
            request, _("%(name)s is no longer on sale and was removed from your cart.") % {"name": name}
        )
    lines, totals = selectors.cart_lines(request.user, cart.items(request.session))
    return render(
        request,
        "shop/cart.html",
        {"lines": lines, "totals": totals, "form": form, "can_order": selectors.can_order(request.user)},
    )


@login_required
@require_POST
def checkout(request):
    """Places the order; what is missing or wrong comes back on the cart page, next to its field."""
    form = CheckoutForm(request.POST)
    if form.is_valid():
        try:
            placed = services.order_place(
                buyer=request.user, items=cart.items(request.session), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            cart.clear(request.session)
            for note in placed.notes:
                messages.warning(request, note)
            messages.success(
                request, _("Thank you, your order %(ref)s is confirmed.") % {"ref": placed.order.reference}
            )
            return redirect("shop:order", reference=placed.order.reference)
    return _cart_page(request, form)


@login_required
def orders(request):
    orders = paginate(request, selectors.orders_of(request.user), ORDERS_PAGE_SIZE, count=False)
    return render(request, "shop/orders.html", {"orders": orders})


@login_required
def order_detail(request, reference):
    order = selectors.order_for(request.user, reference)
    return render(
        request,
        "shop/order.html",
        {"order": order, "summary": selectors.order_summary(order), "seller": settings.SHOP_SELLER},
    )


@login_required
def invoice(request, reference):
    order = selectors.order_for(request.user, reference)
    if not hasattr(order, "invoice"):
        raise Http404
    response = HttpResponse(invoice_pdf(order.invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="facture-{order.invoice.number}.pdf"'
    return response


@login_required
def town_hall_order(request):
    products = list(selectors.town_hall_products())
    selectors.town_hall_orders(request.user)  # 404 for anyone but a mayor's office
    form = TownHallOrderForm(request.POST or None)
    quantities = (
        {p.id: request.POST.get(f"qty-{p.id}", "") for p in products} if request.method == "POST" else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            items = services.parse_quantities({k: v or "0" for k, v in quantities.items()})
            order = services.town_hall_order_place(buyer=request.user, items=items, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Order %(ref)s sent. You will receive the invoice when it ships.")
                % {"ref": order.reference},
            )
            return redirect("shop:order", reference=order.reference)
    rows = [(p, quantities.get(p.id, "")) for p in products]
    return render(request, "shop/town_hall_order.html", {"form": form, "rows": rows})


@login_required
def town_hall_orders(request):
    orders = paginate(request, selectors.town_hall_orders(request.user), ORDERS_PAGE_SIZE, count=False)
    return render(request, "shop/town_hall_orders.html", {"orders": orders})
