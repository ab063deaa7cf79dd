"""The invoice as a PDF, drawn from the order's copied lines: it never changes afterwards."""

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

from .models import Invoice
from .pricing import rate_display
from .selectors import OrderSummary, order_summary


def _money(amount) -> str:
    return f"{amount:,.2f} EUR".replace(",", " ").replace(".", ",")


def _printable(text: str) -> str:
    """The PDF core fonts print Windows-1252 only: anything beyond becomes "?" rather than a crash."""
    return text.encode("windows-1252", "replace").decode("windows-1252")


def _fit(pdf: FPDF, text: str, width: float, suffix: str = "") -> str:
    """Shortens text, never its suffix, until it fits the width."""
    if pdf.get_string_width(text + suffix) <= width:
        return text + suffix
    while text and pdf.get_string_width(text + "…" + suffix) > width:
        text = text[:-1]
    return text + "…" + suffix


def _rate(rate) -> str:
    return f"{rate_display(rate)} %".replace(".", ",")


def _lines_and_totals(pdf: FPDF, summary: OrderSummary) -> None:
    """Per line the unit price, quantity, VAT rate and total; then total excl. VAT, VAT per rate,
    total incl. VAT. A town hall's lines are excl. VAT (art. 242 nonies A, annexe II du CGI); a
    resident's are incl. VAT, as the resident was quoted them."""
    basis = "TTC" if summary.incl_vat else "HT"
    widths = (70, 20, 30, 20, 30)
    pdf.set_font("Helvetica", "B", 10)
    for width, title in zip(widths, ("Article", "Qté", f"PU {basis}", "TVA", f"Total {basis}"), strict=True):
        pdf.cell(width, 7, title, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for priced in summary.lines:
        line, amounts = priced.line, priced.amounts
        label = _fit(
            pdf, _printable(f"{line.name} ({line.sku})"), widths[0] - 2, " - offert" if line.funded else ""
        )
        cells = (
            label,
            str(line.quantity),
            _money(amounts.unit_price),
            _rate(line.vat_rate),
            _money(amounts.total),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, text, border=1)
        pdf.ln()
    pdf.ln(3)
    totals = summary.totals
    rows = [("Total HT", totals.total_excl_vat)]
    rows += [(f"TVA {_rate(r.rate)} (base {_money(r.base_excl_vat)})", r.vat) for r in totals.vat_by_rate]
    rows.append(("Total TTC", totals.total_incl_vat))
    for label, amount in rows:
        pdf.cell(140, 6, label, align="R")
        pdf.cell(30, 6, _money(amount), align="R", new_x="LMARGIN", new_y="NEXT")


def invoice_pdf(invoice: Invoice) -> bytes:
    order = invoice.order
    seller = settings.SHOP_SELLER
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # what the core fonts declare; has ’ « » – œ €
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, f"Facture {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    issued = timezone.localtime(invoice.issued_at)
    pdf.cell(0, 6, f"Date : {issued:%d/%m/%Y}    Commande : {order.reference}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.multi_cell(
        90,
        5,
        _printable(
            "\n".join(
                [
                    "Vendeur",
                    seller["name"],
                    seller["address"],
                    f"SIRET : {seller['siret']}",
                    f"TVA : {seller['vat_number']}",
                ]
            )
        ),
    )
    pdf.set_xy(110, top)
    buyer = [
        "Client",
        order.delivery_name,
        order.billing_address or order.delivery_address,
    ]
    if order.siret:
        buyer.append(f"SIRET : {order.siret}")
    if order.purchase_order_number:
        buyer.append(f"Bon de commande (n° d'engagement) : {order.purchase_order_number}")
    pdf.multi_cell(90, 5, _printable("\n".join(buyer)))
    pdf.ln(6)
    _lines_and_totals(pdf, order_summary(order))
    pdf.ln(6)
    pdf.multi_cell(
        0,
        5,
        "\n".join(
            [
                f"Paiement par virement : IBAN {seller['iban']} - BIC {seller['bic']}, référence {order.reference}.",
                "Paiement à 30 jours à réception de facture. Pas d'escompte pour paiement anticipé.",
                "En cas de retard de paiement : pénalités au taux légal et indemnité forfaitaire de 40 EUR pour frais "
                "de recouvrement (articles L441-10 et D441-5 du Code de commerce).",
            ]
        ),
    )
    return bytes(pdf.output())
