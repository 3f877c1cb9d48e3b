"""The application as `make bench` serves it: every answer carries the number of database queries its
request ran (header X-Queries), counted by a wrapper on the connection around the whole request,
middleware included. Production's config/wsgi.py is untouched."""

from django.db import connection

from config.wsgi import application as django_application
from tests.bench.load import QUERIES_HEADER


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def application(environ, start_response):
    """Django answers through start_response once the response is built; a download's queries made while
    its body streams out afterwards are not counted."""
    counter = QueryCounter()

    def counted_start_response(status, headers, exc_info=None):
        return start_response(status, [*headers, (QUERIES_HEADER, str(counter.count))], exc_info)

    with connection.execute_wrapper(counter):
        return django_application(environ, counted_start_response)
