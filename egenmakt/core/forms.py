"""How forms render: Django's form renderer with the project's one field template.

``{{ form.name.as_field_group }}`` (or ``{% for field in form %}{{ field.as_field_group }}``)
renders ``templates/forms/field.html``: a labelled control with its help text and errors,
a fieldset with a legend for radio buttons and checkbox lists, a checkbox beside its label.
``TemplatesSetting`` reads the project's TEMPLATES, so widgets and the field template come
from the same loaders as the pages ("django.forms" in INSTALLED_APPS provides the widgets).
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
