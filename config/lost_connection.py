"""A page whose database connection is lost while it is being made (PostgreSQL restarted or failed over, or
the connection terminated) is made once more on a new connection instead of answering 500.

Only requests that change nothing (GET, HEAD) are made again, and only when the connection is gone and no
transaction is open: anything a write began has been rolled back with the connection, and the user sees the
error page and decides. The next request gets a new connection anyway (CONN_HEALTH_CHECKS).
"""

import logging

from django.db import connection

logger = logging.getLogger(__name__)


class RetryLostConnectionMiddleware:
    """Outside the middleware that use the database (sessions, authentication), so a connection lost in them
    is covered as well as one lost in the view or its template."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 500
            and request.method in ("GET", "HEAD")
            and not connection.in_atomic_block
            and not connection.is_usable()
        ):
            logger.warning("Forbindelsen til databasen røg under %s; siden laves igen", request.path)
            response.close()
            connection.close()
            response = self.get_response(request)
        return response
