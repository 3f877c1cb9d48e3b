import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users get a cheap password hash: the default one costs a third of a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
