"""NUL characters are dropped from the query string before any view sees it.

PostgreSQL cannot store or compare text containing NUL (psycopg refuses it before sending the query), so a
search or filter value with `%00` in it made every list page answer 500. No real search holds a NUL; taking
it out here covers every search box and filter at once, and forms posted with one are refused by Django's
own fields (ProhibitNullCharactersValidator).
"""

from django.http import QueryDict

NUL = "\x00"


class DropNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = without_nul(request.GET)
        return self.get_response(request)


def without_nul(parameters: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in parameters.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned
