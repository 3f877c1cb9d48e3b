"""A NUL character in a search or filter value gives the normal page: PostgreSQL refuses text holding one.
Nor does a number that int() refuses though str.isdigit() accepts it (a superscript digit, 5,000 digits)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.logins import log_in
from tests.test_permission_matrix import excluded, kwargs_for, named_urls
from tests.world import module_world

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["²", "9" * 5000]
GET_FORM = re.compile(r"<form\b(?:(?!>).)*\bmethod=\"get\"(?:(?!>).)*>(.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
OWN_LINK = re.compile(r"\bhref=\"([^\"#]*\?[^\"#]*)", re.I)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


def filter_fields(page: str, path: str) -> set[str]:
    """The names of the fields of the page's search and filter forms (forms sent with GET), and the
    parameters of its links to itself (a year's tab, the next page, a sort order)."""
    fields = {name for form in GET_FORM.findall(page) for name in FIELD_NAME.findall(form)}
    for link in OWN_LINK.findall(page):
        address = urlsplit(html.unescape(link))
        if address.path in ("", path):
            fields |= parse_qs(address.query, keep_blank_values=True).keys()
    return fields


def test_a_nul_in_the_search_of_the_area_list_gives_the_list(client_as, medarbejder):
    response = client_as(medarbejder).get(reverse("omraade_list"), {"q": "Tingbjerg\x00"})
    assert response.status_code == 200


def test_every_page_answers_a_nul_or_a_malformed_number_in_each_of_its_search_and_filter_fields(world):
    client = Client()
    log_in(client, world.users["medarbejder"])
    pages, fields_tried = 0, set()
    for name, _ in named_urls():
        if excluded(name):
            continue
        url = reverse(name, kwargs=kwargs_for(name, world.own, world))
        plain = client.get(url)
        if plain.status_code != 200 or not plain["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        fields = filter_fields(plain.content.decode(), url)
        fields_tried |= {f"{name}?{field}" for field in fields}
        for field in ["q", *sorted(fields)]:
            # The page answers as it does to the value without the NUL (a year "ab" is not found, say).
            response = client.get(url, {field: "a\x00b"})
            assert response.status_code == client.get(url, {field: "ab"}).status_code < 500, (url, field)
            for number in NOT_NUMBERS:
                assert client.get(url, {field: number}).status_code < 500, (url, field, number[:10])
    assert pages > 40
    assert {
        "omraade_list?q",
        "afdeling_list?q",
        "afdeling_list?bydel",
        "regnskab_detail?aar",
    } <= fields_tried, sorted(fields_tried)
