"""A page whose database connection is lost while it is made is made once more; a write is not."""

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from config.lost_connection import RetryLostConnectionMiddleware

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")


def page_losing_its_first_connection(calls):
    def page(request):
        calls.append(request.method)
        with connection.cursor() as cursor:
            if len(calls) == 1:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            cursor.execute("SELECT 1")
        return HttpResponse("svar")

    # As Django's handler wraps every middleware: an exception becomes the 500 page.
    return RetryLostConnectionMiddleware(convert_exception_to_response(page))


@pytest.mark.django_db(transaction=True)  # no test transaction around the request, as in production
def test_a_page_whose_connection_is_lost_is_made_again_on_a_new_one():
    calls = []
    response = page_losing_its_first_connection(calls)(RequestFactory().get("/"))
    assert (response.status_code, response.content, calls) == (200, b"svar", ["GET", "GET"])


@pytest.mark.django_db(transaction=True)
def test_a_post_whose_connection_is_lost_answers_the_error_page_once():
    calls = []
    response = page_losing_its_first_connection(calls)(RequestFactory().post("/"))
    assert (response.status_code, calls) == (500, ["POST"])
    connection.close()
