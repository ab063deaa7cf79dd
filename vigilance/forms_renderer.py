"""How forms render their fields: with Jinja2, from Django's own Jinja2 copies of its widget
templates and ours (templates/jinja2/), falling back to Django templates for the widgets that
exist only there (the admin's).

Django's template engine renders every field through four or five small templates (the field,
its label, its widget, the widget's attributes, its errors): on a page with a form that was
half of the time the page cost. Jinja2 compiles templates to Python and renders the same HTML
several times faster.
"""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.utils.functional import cached_property


class FormRenderer(BaseRenderer):
    @cached_property
    def jinja2(self):
        return Jinja2(
            {
                "APP_DIRS": False,
                "DIRS": [
                    Path(settings.BASE_DIR) / "templates" / "jinja2",
                    Path(django.forms.__file__).parent / "jinja2",
                ],
                "NAME": "vigilance-forms",
                "OPTIONS": {},
            }
        )

    @cached_property
    def django_templates(self):
        return TemplatesSetting()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_templates.get_template(template_name)
