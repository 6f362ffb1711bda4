from django import template

from joinedup.governance.models import Purpose

register = template.Library()


@register.filter
def purpose_label(code: str) -> str:
    try:
        return str(Purpose(code).label)
    except ValueError:
        return code
