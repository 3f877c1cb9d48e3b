import pytest
from django.test import Client

from config.api import actions
from tests.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


def token_of(user) -> str:
    return actions.create_token(navn="test", udloeber=None, acting_user=user)[1]


@pytest.fixture
def as_role(world):
    """A client that sends the API token of the world's user with this role (None: no token)."""

    def client_for(role):
        user = world.users.get(role)
        headers = {"Authorization": f"Bearer {token_of(user)}"} if user is not None else {}
        return Client(headers=headers)

    return client_for
