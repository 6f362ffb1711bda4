"""GOV.UK helpers for templates: `{% load govuk %}`.

Dates follow the GOV.UK style guide through joinedup.dates (the one formatter): "5 March 2026",
"5 March 2026 at 2:30pm", always in Europe/London whatever the server's zone.

The form helpers let includes/field.html render a Django bound field with GOV.UK classes while
keeping everything the widget itself sets (required, maxlength, autocomplete, choices...).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

from joinedup import dates

register = template.Library()


@register.filter(expects_localtime=False)
def govuk_date(value: Any) -> Any:
    """date or datetime -> "5 March 2026" (datetimes converted to Europe/London first)."""
    if value is None or value == "":
        return ""
    return dates.govuk_date(value) if isinstance(value, date) else value


@register.filter(expects_localtime=False)
def govuk_datetime(value: Any) -> Any:
    """datetime -> "5 March 2026 at 2:30pm" in Europe/London; a plain date -> "5 March 2026"."""
    if value is None or value == "":
        return ""
    return dates.govuk_datetime(value) if isinstance(value, date) else value


# --- forms ---------------------------------------------------------------------------------


@register.filter
def govuk_field_kind(field: BoundField) -> str:
    """Which GOV.UK component renders this field: input, password, textarea, select, radios,
    checkboxes, checkbox (a single boolean), file or hidden."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    # Subclasses before their bases: CheckboxSelectMultiple extends RadioSelect,
    # SelectMultiple/NullBooleanSelect extend Select, ClearableFileInput extends FileInput.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if getattr(widget, "input_type", None) == "password":
        return "password"
    return "input"


@register.filter
def govuk_error_anchor(field: BoundField) -> str:
    """The id the error summary links to: the field's input, or the first of its options."""
    if govuk_field_kind(field) in {"radios", "checkboxes"} or field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id or field.html_name


_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}


@register.simple_tag
def govuk_widget(field: BoundField) -> SafeString:
    """Render the field's own widget with the GOV.UK classes, error state and aria-describedby
    (hint, then error, matching includes/field.html). Not for radios or checkboxes, which
    includes/field.html renders option by option."""
    kind = govuk_field_kind(field)
    widget = field.field.widget
    base, error = _CLASSES.get(kind, ("", ""))
    classes = [base, widget.attrs.get("class", "")]
    if field.errors and error:
        classes.append(error)
    attrs: dict[str, Any] = {"class": " ".join(c for c in classes if c)}

    # A field in a fieldset (several inputs) is described on the <fieldset> instead.
    described_by = [widget.attrs.get("aria-describedby", "")]
    if field.help_text and not field.use_fieldset:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors and not field.use_fieldset:
        described_by.append(f"{field.auto_id}-error")
    if any(described_by):
        attrs["aria-describedby"] = " ".join(d for d in described_by if d)

    if kind == "password":
        attrs["spellcheck"] = "false"
        attrs["autocapitalize"] = "none"
        attrs["autocomplete"] = widget.attrs.get("autocomplete", "current-password")
    return field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_date_parts(*fields: BoundField) -> list[dict[str, Any]]:
    """The day, month and year boxes of a GOV.UK date input, for includes/date_input.html:
    from one bound field with a three-part MultiWidget, or from three bound fields in order.
    Each part: label, id, name, value and the width class's number of characters."""
    if len(fields) == 1:
        bf = fields[0]
        context = bf.field.widget.get_context(bf.html_name, bf.value(), {"id": bf.auto_id})
        boxes = [
            (w["attrs"]["id"], w["name"], w["value"])
            for w in context["widget"].get("subwidgets", [])
        ]
    else:
        boxes = [(f.id_for_label, f.html_name, f.value()) for f in fields]
    if len(boxes) != 3:
        raise template.TemplateSyntaxError("govuk_date_parts needs day, month and year")
    return [
        {"label": label, "id": box_id, "name": name, "value": value, "width": width}
        for (label, width), (box_id, name, value) in zip(
            (("Day", 2), ("Month", 2), ("Year", 4)), boxes, strict=True
        )
    ]
