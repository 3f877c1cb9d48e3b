"""Danish numbers in templates, written by config.web.formatting (its docstring says which kind is for what).

The filters by kind (count, kr_whole, kr_ore, share, below, at_least) show a missing value as "–"; the column
filters (kr, pct, whole, figure) give "" for None or "", where the template says what a blank cell shows.
"""

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
register.filter("count", formatting.count)
register.filter("kr_whole", formatting.kroner_whole)
register.filter("kr_ore", formatting.kroner_ore)
register.filter("below", formatting.below)
register.filter("at_least", formatting.at_least)
register.filter("afdeling_labels", formatting.afdeling_labels)


@register.filter
def share(value, places=1):
    """{{ value|share }} -> '12,3 %'; {{ value|share:0 }} -> '12 %'."""
    return formatting.share(value, int(places))


@register.filter("decimals")
def decimals(value, places):
    """{{ value|decimals:2 }} -> '1,46', "" for None or ""."""
    return "" if value is None or value == "" else formatting.decimals(value, int(places))
