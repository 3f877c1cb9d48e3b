"""Numbers on pages are written by config.web.formatting's filters, not by Django's humanize or floatformat,
so a page, an export and a PDF show a number of one kind alike."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DJANGO_NUMBER_FILTERS = re.compile(r"\|\s*(intcomma|floatformat|intword)\b|\{%\s*load[^%]*\bhumanize\b")


def test_no_template_formats_numbers_with_djangos_filters():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DJANGO_NUMBER_FILTERS.search(line)
    ]
    assert found == [], "Use the filters of config/web/templatetags/formatting.py:\n" + "\n".join(found)


def test_humanize_is_not_installed():
    assert "django.contrib.humanize" not in settings.INSTALLED_APPS
