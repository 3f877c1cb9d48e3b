"""Danish numbers in templates, written by config.web.formatting; each filter gives "" for None or ""."""

from django import template

from config.web import formatting

register = template.Library()


def _blank_or(function):
    def show(value):
        if value is None or value == "":
            return ""
        return function(value)

    return show


register.filter("kr", _blank_or(formatting.kroner))
register.filter("pct", _blank_or(formatting.percent))
register.filter("whole", _blank_or(formatting.whole_number))
register.filter("figure", _blank_or(formatting.figure))
