"""The application on a phone (390 × 844): the demo board member follows every link from the start page, and
no page is wider than the screen or breaks a word across lines. The menu sits behind a button, and a board
member's holds what they use. (Each role's main pages at both widths: test_small_screens_main_pages.py, a
file of its own so that the two halves can run in parallel.)"""

from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, screenshot

# The crawl's bound: enough for every kind of page the demo board member can reach (about 90 pages).
MAX_PAGES = 160
# Links the crawl does not follow: leaving, the admin, and files rather than pages.
NOT_PAGES = ("/accounts/logout/", "/admin/")
PAGE_TYPES = ("text/html",)

# Words broken across two lines (a hyphen, a dash or a slash is a place to break: the pieces between count).
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest(".sr-only, script, style, [hidden]")) continue;
    const pieces = /[^\\s\\-\\/–]{2,}/g;
    let match;
    while ((match = pieces.exec(node.textContent))) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def fits_the_screen(page, width=PHONE["width"]) -> None:
    """Nothing makes the page scroll sideways, and no word is broken across lines."""
    page.wait_for_load_state("networkidle")  # fragments htmx loads with the page are in
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert page.evaluate(BROKEN_WORDS) == [], page.url


def page_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).url_name or "side"
    except Resolver404:
        return "side"


def crawl(page, start="/"):
    """Every page reachable by links from `start` on the site, each address once (and one query string per
    path), at most MAX_PAGES: yields each page's path once it is open."""
    base = page.url[: page.url.index("/", len("http://"))]
    queue, seen = [start], set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        # Asked first without the browser: a file, a redirect or a refusal is not a page to look at.
        answer = page.request.get(base + path, max_redirects=0)
        if answer.status != 200 or not answer.headers.get("content-type", "").startswith(PAGE_TYPES):
            continue
        page.goto(base + path)
        yield path
        for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
            link = urlsplit(urljoin(base + path, href))
            if f"{link.scheme}://{link.netloc}" != base or link.path.startswith(NOT_PAGES):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            known = seen | set(queue)
            if target in known or (link.query and any(k.split("?")[0] == link.path for k in known)):
                continue
            queue.append(target)


def test_every_page_a_board_member_reaches_fits_a_phone(demo, phone):
    page = phone("bestyrelse")
    photographed, visited = set(), []
    for path in crawl(page):
        visited.append(path)
        fits_the_screen(page)
        name = page_name(path)
        if name not in photographed:
            photographed.add(name)
            screenshot(page, f"390-bestyrelse-{name}")
    # The board member's world: their afdelinger, their plans and each plan's tabs, the screening of both.
    assert {"home", "afdeling_detail", "plan_detail", "plan_economy", "screening_afdeling"} <= photographed
    assert len(visited) > 40


def test_the_menu_is_behind_a_button_and_a_board_member_gets_what_they_use(demo, phone):
    page = phone("bestyrelse")
    expect(page.locator(".app-nav")).to_be_hidden()
    page.click("button:has-text('Menu')")
    drawer = page.locator(".mobile-drawer")
    expect(drawer).to_be_visible()
    expect(drawer.locator(".navigation-menu-mobile a")).to_have_text(
        ["Forside", "Mine afdelinger", "Helhedsplaner"]
    )
    expect(drawer).to_contain_text("Birthe Lundholm")
    expect(drawer.locator("button:has-text('Log ud')")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "390-bestyrelse-menu")
    drawer.locator("a:has-text('Helhedsplaner')").click()
    page.wait_for_url("**/helhedsplaner/")
    expect(drawer).to_be_hidden()

    staff = phone("medarbejder")
    staff.click("button:has-text('Menu')")
    expect(staff.locator(".navigation-menu-mobile a")).to_have_count(9)
    staff.locator(".js-menu-close").click()
    expect(staff.locator(".mobile-drawer")).to_be_hidden()


def test_filters_fold_away_on_a_phone_and_say_how_many_are_on(demo, phone):
    """Below 992 px a list's filters are folded under «Filtre», so the results come first on the screen; on a
    wide screen they stay open as before."""
    page = phone("medarbejder")
    page.goto(reverse("indsats_list"))
    panel = page.locator("form.app-filters details.app-filter-panel")
    expect(panel.locator("summary")).to_have_text("Filtre")
    assert panel.evaluate("details => details.open") is False
    assert page.locator("#indsats-results").bounding_box()["y"] < PHONE["height"] / 2
    fits_the_screen(page)
    assert axe_violations(page) == []
    screenshot(page, "390-medarbejder-indsats_list-filters")
    page.goto(reverse("indsats_list") + "?q=Tingbjerg&status=aktiv")
    expect(panel.locator("summary")).to_have_text("Filtre (2 aktive)")
    panel.locator("summary").click()
    page.fill("#id_q", "")
    expect(panel.locator("summary")).to_have_text("Filtre (1 aktivt)")

    wide = phone("medarbejder", DESKTOP)
    wide.goto(reverse("indsats_list"))
    expect(wide.locator("form.app-filters #id_q")).to_be_visible()
    assert wide.locator("form.app-filters details").count() == 0
