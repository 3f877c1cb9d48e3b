from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class ApiRateThrottle(UserRateThrottle):
    """Requests per user (whether by token or login), counted in the shared cache (Redis when configured), so
    every web process counts the same requests. The rate is read when asked, so a test can change it."""

    scope = "api"

    def get_rate(self):
        return settings.API_THROTTLE_RATE
