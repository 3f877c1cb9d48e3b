"""Browser tests: playwright drives Debian's chromium (never a downloaded browser) against a live server.

Each test gets a fresh browser context that records console errors and content-security-policy violations;
a test fails if the page reported either. `axe_violations(page)` runs axe-core in the page.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import sync_playwright

from config.accounts import second_factor
from tests.logins import code_of, give_app, log_in

# playwright's sync API runs an event loop in the test thread; Django's ORM calls from that thread are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
CODE_STEP = "/accounts/login/kode/"
# An invalid form answers 400 with the form and its errors, which htmx swaps in: chromium reports the status
# as a failed resource, but the page handles it.
FORM_REFUSED = re.compile(r"Failed to load resource: the server responded with a status of 400 ")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # The live server sees only committed data, so these tests run in real transactions; the
            # serialized rollback restores the reference data that migrations seeded after each one.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    # playwright's sync API runs an asyncio loop in this thread, and Django keeps its connections per asyncio
    # context: from here on the tests get a fresh connection object, which lacks the serialized copy of the
    # migrated reference data that serialized_rollback restores. Hand the copy over.
    with django_db_blocker.unblock():
        serialized = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        if serialized:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = serialized
        yield browser
        browser.close()


class PageProblems:
    def __init__(self):
        self.csp_violations: list[str] = []
        self.console_errors: list[str] = []

    def on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.csp_violations.append(text)
        elif message.type == "error" and not FORM_REFUSED.match(text):
            self.console_errors.append(text)

    def on_page_error(self, error):
        self.console_errors.append(f"uncaught: {error}")


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a browser context of its own (another person at another desk). When the test ends it
    fails if any page opened so reported a CSP violation or a console error."""
    contexts, problems = [], []

    def open_new():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="da-DK"
        )
        contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems()
        page.on("console", page.problems.on_console)
        page.on("pageerror", page.problems.on_page_error)
        problems.append(page.problems)
        return page

    yield open_new
    for context in contexts:
        context.close()
    assert [v for p in problems for v in p.csp_violations] == []
    assert [e for p in problems for e in p.console_errors] == []


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data (seed_demo), its documents in a temporary private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    call_command("seed_demo", "--force", verbosity=0)


@pytest.fixture
def phone(open_page, live_server):
    """A page of its own at the given size (a phone's by default), logged in as the given demo user."""

    def open_as(username, viewport=PHONE):
        page = open_page()
        page.set_viewport_size(viewport)
        logged_in(page, username, live_server.url)
        return page

    return open_as


def login(page, username: str, password: str = PASSWORD) -> None:
    """Through the login's pages. A user whose role requires a second factor is given an app first (as if they
    had set it up), and the code it shows now is typed at the second step."""
    user = get_user_model().objects.get(username=username)
    if second_factor.is_required(user):
        give_app(user)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url or CODE_STEP in url)
    if CODE_STEP in page.url:
        type_code(page, code_of(give_app(user)))
        page.wait_for_url(lambda url: "/accounts/login/" not in url)


def logged_in(page, username: str, base_url: str) -> None:
    """Logged in without the login's pages, for tests about other pages (the login's own are tested through
    `login` and in tests/accounts): a session of the user's, second factor given, as the browser's cookie;
    then on the start page, where a login lands."""
    user = get_user_model().objects.get(username=username)
    if second_factor.is_required(user):
        give_app(user)
    session = log_in(Client(), user).cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": base_url}])
    page.goto("/")


def type_code(page, code: str) -> None:
    page.fill("#id_code", code)
    page.click(f"form[action='{CODE_STEP}'] button[type=submit]")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the current page.

    axe is evaluated over the debugging protocol, so the page's content security policy does not block it.
    """
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
