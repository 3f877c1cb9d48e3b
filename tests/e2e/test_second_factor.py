"""A staff member's first login sets up the authenticator app (its secret read off the page, its codes
computed here), saves the recovery codes, and logs in again with a code."""

import time
from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import CODE_STEP, PASSWORD, axe_violations, screenshot, type_code
from tests.factories import UserFactory
from tests.logins import code_of


def test_first_login_sets_up_the_app_and_the_next_asks_for_its_code(page):
    UserFactory(username="mette", role="medarbejder")
    page.goto("/accounts/login/")
    page.fill("#id_username", "mette")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/konto/totrinslogin/?next=*")
    expect(page.locator("img.accounts-qr-code")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "second-factor-set-up")

    # Nothing else can be reached before the app is set up.
    page.goto("/afdelinger/")
    page.wait_for_url("**/konto/totrinslogin/?next=*")

    app = TOTPDevice(key=b32decode(page.inner_text("#secret").replace(" ", "")).hex())
    page.fill("#id_code", code_of(app, at=time.time()))
    page.click("text=Bekræft og opsæt")
    page.wait_for_url("**/konto/totrinslogin/gendannelseskoder/")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.click("text=Hent koderne som tekstfil")
    saved = open(download.value.path(), encoding="utf-8").read()
    assert all(code in saved for code in codes)
    assert axe_violations(page) == []
    page.click("text=Jeg har gemt koderne")
    page.wait_for_url("**/konto/")
    expect(page.locator("main")).to_contain_text("Nulstil totrinslogin")

    page.click("header >> text=Log ud")
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_username", "mette")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{CODE_STEP}*")
    assert axe_violations(page) == []
    type_code(page, "000000")
    expect(page.locator(".form-error-message")).to_contain_text("Koden er forkert")
    type_code(page, code_of(TOTPDevice.objects.get(user__username="mette")))
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("header")).to_contain_text("Log ud")
