import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The test users' passwords need not resist attack: a fast hasher saves half a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
