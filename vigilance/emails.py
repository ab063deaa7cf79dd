from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(*, to: list[str], template: str, context: dict, headers=None) -> None:
    """Sends templates/emails/<template>-subject.txt, -body.txt and -body.html."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
