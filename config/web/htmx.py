"""What every app's pages share about htmx."""


def page_template(request, template: str, partial: str = "main") -> str:
    """An htmx request (not a boosted page load) gets only the page's fragment: the template's partial. When
    the browser goes back to a page htmx changed and has not kept, htmx asks for it again to put in the
    whole body (a history restore): that gets the whole page."""
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template
