"""What every app's pages share about htmx."""


def page_template(request, template: str, partial: str = "main") -> str:
    """An htmx request (not a boosted page load) gets only the page's fragment: the template's partial."""
    if request.htmx and not request.htmx.boosted:
        return f"{template}#{partial}"
    return template
