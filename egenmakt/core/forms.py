"""How forms render: Django's form renderer with the project's one field template.

``{{ form.name.as_field_group }}`` (or ``{% for field in form %}{{ field.as_field_group }}``)
renders ``templates/forms/field.html``: a labelled control with its help text and errors,
a fieldset with a legend for radio buttons and checkbox lists, a checkbox beside its label.
``TemplatesSetting`` reads the project's TEMPLATES, so widgets and the field template come
from the same loaders as the pages ("django.forms" in INSTALLED_APPS provides the widgets).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


def offer(field: Any, rows: QuerySet[Any] | Iterable[Model]) -> None:
    """The rows a ``ModelChoiceField`` offers. Rows the view has read (a list) become the
    field's choices now, so rendering the form runs no query (a queryset would be read
    each time the template iterates the choices); a posted choice is looked up among the
    same rows by key. A queryset is kept as Django keeps it. Set ``label_from_instance``
    before."""
    if isinstance(rows, QuerySet):
        field.queryset = rows
        return
    rows = list(rows)
    model = field.queryset.model
    field.queryset = model._default_manager.filter(pk__in=[row.pk for row in rows])
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = [*empty, *((row.pk, field.label_from_instance(row)) for row in rows)]
