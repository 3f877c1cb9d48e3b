"""Pages and CSV files go gzipped to a browser that accepts it; workbooks and files go as they are."""

import gzip

import pytest
from django.urls import reverse

from tests.factories import AfdelingFactory

pytestmark = pytest.mark.django_db
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client_as, medarbejder):
    AfdelingFactory.create_batch(30)
    client = client_as(medarbejder)
    plain = client.get(reverse("afdeling_list"))
    packed = client.get(reverse("afdeling_list"), headers=GZIP)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert page.startswith("<!DOCTYPE html>") and len(packed.content) < len(page) / 3


def test_csv_is_gzipped_but_a_workbook_is_not(client_as, medarbejder):
    AfdelingFactory.create_batch(30)
    client = client_as(medarbejder)
    csv = client.get(reverse("afdeling_export", args=["csv"]), headers=GZIP)
    assert csv["Content-Encoding"] == "gzip" and gzip.decompress(csv.content).startswith(b"\xef\xbb\xbf")
    workbook = client.get(reverse("afdeling_export", args=["xlsx"]), headers=GZIP)
    assert "Content-Encoding" not in workbook and workbook.content.startswith(b"PK")
