"""Badges the screening pages draw many times (two in each row of the overview, one in each figure of an
afdeling's page): as tags they cost a fraction of an {% include %}."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from screening import criteria

register = template.Library()


@register.simple_tag
def light(level: str | None) -> str:
    """A traffic light with its name in words (colour is never the only signal)."""
    name = criteria.LIGHT_LABELS.get(level, criteria.LIGHT_LABELS[criteria.UKENDT])
    return format_html(
        '<span class="screening-light screening-light--{}">{}</span>',
        level or criteria.UKENDT,
        name.capitalize(),
    )


@register.simple_tag
def klasse(klassifikation: str, label: str) -> str:
    """An area's class as a badge (its code and name); a dash when the area has none."""
    if not klassifikation:
        return mark_safe('<span class="screening-muted">–</span>')
    return format_html(
        '<span class="badge screening-klasse screening-klasse--{}">{}</span>', klassifikation, label
    )
