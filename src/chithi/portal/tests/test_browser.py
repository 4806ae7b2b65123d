"""Browser: every public page in Debian's Chromium at 390 px (a phone) and 1366 px, against a server that serves
static files the way production does (collected, compressed, through WhiteNoise): axe-core finds no WCAG 2.1 A/AA
violation, the first load weighs under 200 KB (HTML, CSS, JS, fonts; pictures aside), the page's first paint is
recorded, and a visitor can read and send feedback with the keyboard alone."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

from chithi.conftest import artifact_path

from .factories import answered_issue, article, category, feedback, jpeg

AXE = Path(django_settings.PROJECT_DIR) / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BUDGET = 200 * 1024
WIDTHS = [(390, 844), (1366, 768)]
PICTURES = ("/tin-tuc/anh/", "/mo-hinh/anh/", "/media/")
PRODUCTION_STORAGES = {**django_settings.STORAGES,
                       "staticfiles": {"BACKEND": "chithi.core.staticfiles.HashedStaticFilesStorage"}}


def _chromium() -> str:
    executable = os.environ.get("CHITHI_BROWSER") or shutil.which("chromium") or ""
    if not executable or not os.path.exists(executable):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: the browser tests need /usr/bin/chromium (apt-get install chromium)")
        pytest.skip("no Chromium installed (apt-get install chromium) — browser test not run")
    if not AXE.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: axe-core is missing at {AXE} (scripts/test.sh runs npm ci in tools/axe)")
        pytest.skip("axe-core not installed (npm ci --prefix tools/axe) — accessibility test not run")
    return executable


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: Any) -> Path:
    """collectstatic into a fresh folder, as a deployment does (with the gzip copies WhiteNoise serves)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def site(transactional_db: Any, collected_static: Path, settings: Any) -> Any:
    """A live server without the test runner's own static handler: WhiteNoise serves what collectstatic made."""
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = PRODUCTION_STORAGES  # hashed names, as the settings have them (tests use plain ones)
    settings.RATELIMIT_ENABLE = False
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, connections_override=shared)
    thread.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture
def chromium() -> Any:
    executable = _chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


def _public_pages(world: Any) -> dict[str, str]:
    """A small public site: news with a picture and feedback, a practice, answered issues."""
    from chithi.portal import services
    from chithi.practices.tests.factories import PhotoFactory, PracticeFactory

    practice = PracticeFactory(name="Hũ gạo tình thương", organisation=world.agency, is_public=True,
                               fields=["welfare"], description="Mỗi bữa bớt một nắm gạo cho hộ khó khăn.")
    PhotoFactory(practice=practice, caption="Trao gạo")
    issue = answered_issue(world=world, rating=5, answer="Đã thay bóng đèn đường khu phố 3.")
    cat = category("chi-thi-05", "Chỉ thị 05")
    live = article(unit=world.ward_a, title="Chuyển biến trong học tập và làm theo Bác ở Đông Hà", cat=cat,
                   featured=True, practices=[practice], issue_category=issue.category, byline="Thanh Tuyền",
                   source_name="Báo Quảng Trị", source_url="http://baoquangtri.vn",
                   summary="Mỗi năm Ban Thường vụ chọn một chủ đề và khâu đột phá.",
                   body="<h2>Tóm tắt</h2><p>Lãnh đạo thành phố đối thoại với Nhân dân ở khu dân cư.</p>"
                        "<ul><li>Chủ đề năm</li><li>Mô hình hay</li></ul>")
    image = services.add_image(actor=world.user("secretary"), article=live, upload=jpeg(1600, 1000),
                               alt="Cán bộ hướng dẫn người dân làm thủ tục tại nhà",
                               caption="Cán bộ đến tận nhà giúp người dân", credit="TT")
    services.update_article(actor=world.user("secretary"), article=live,
                            body=live.body + f"<p>[ảnh:{image.pk}]</p>")
    for number in range(3):
        article(unit=world.ward_a, title=f"Tin hoạt động số {number}", cat=cat)
    feedback(live, state="answered", message="Mong có thêm tin về các phường.", answer="Cảm ơn bạn.")
    feedback(live, state="published", name="Lê Mai", message="Bài viết thiết thực.")
    return {
        "home": "/", "news": "/tin-tuc/", "category": "/tin-tuc/chuyen-muc/chi-thi-05/",
        "article": live.get_public_url(), "search": "/tim/?q=hu+gao", "figures": "/so-lieu/",
        "intake": "/gop-y/", "lookup": "/tra-cuu/", "answers": "/phan-anh/", "showcase": "/mo-hinh/",
        "practice": practice.get_public_url(),
    }


_WEIGHT = """() => {
  const picture = (name, type) => type === 'img' || /\\.(png|jpe?g|gif|webp|svg)(\\?|$)/.test(name)
      || PICTURES.some(part => name.includes(part));
  const navigation = performance.getEntriesByType('navigation')[0];
  let bytes = navigation.transferSize, pictures = 0;
  const files = [];
  for (const entry of performance.getEntriesByType('resource')) {
    if (picture(entry.name, entry.initiatorType)) { pictures += entry.transferSize; continue; }
    bytes += entry.transferSize;
    files.push([new URL(entry.name).pathname, entry.transferSize, entry.decodedBodySize]);
  }
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {bytes, pictures, files, html: navigation.transferSize, fcp: paint ? paint.startTime : null};
}""".replace("PICTURES", json.dumps(list(PICTURES)))

_AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v =>
    ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["phone-390", "desktop-1366"])
def test_every_public_page_is_accessible_light_and_fast(world, site, chromium, width, height):
    pages = _public_pages(world)
    axe_source = AXE.read_text()
    report: dict[str, Any] = {}
    problems: list[str] = []
    for name, path in pages.items():
        # First load in a fresh context: nothing cached, so the bytes are what a new visitor downloads.
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg, sink=errors: msg.type == "error" and sink.append(msg.text))
        response = page.goto(site + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.wait_for_timeout(150)  # let the paint timing entry land
        weight = page.evaluate(_WEIGHT)
        page.screenshot(path=artifact_path(f"portal-{name}-{width}.png"), full_page=True)
        report[name] = {"path": path, "bytes": weight["bytes"], "pictures": weight["pictures"],
                        "first_contentful_paint_ms": round(weight["fcp"] or 0), "files": weight["files"]}
        if weight["bytes"] >= BUDGET:
            problems.append(f"{path}: {weight['bytes']} bytes on first load (budget {BUDGET}): {weight['files']}")
        if errors:
            problems.append(f"{path}: console errors (CSP or script): {errors}")
        context.close()
        # axe-core is injected into the page (a context that lets the test add a script despite the CSP).
        checker = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        audit = checker.new_page()
        audit.goto(site + path, wait_until="load")
        audit.add_script_tag(content=axe_source)
        violations = audit.evaluate(_AXE_RUN)
        if violations:
            problems.append(f"{path} at {width}px: {json.dumps(violations, ensure_ascii=False)}")
        checker.close()
    Path(artifact_path(f"portal-page-weights-{width}.json")).write_text(json.dumps(report, indent=1))
    print(f"\nfirst load at {width}px (bytes without pictures, first contentful paint):")
    for name, row in report.items():
        print(f"  {name:<10} {row['bytes']:>7} B  {row['first_contentful_paint_ms']:>5} ms  {row['path']}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_visitor_reads_and_sends_feedback_with_the_keyboard(world, site, chromium):
    from playwright.sync_api import expect

    live = article(unit=world.ward_a, title="Đối thoại với Nhân dân khu phố 3")
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(site + live.get_public_url())
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused, hidden otherwise
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    name = page.get_by_label("Họ và tên")
    for _step in range(40):  # on through the page's links to the form, as a keyboard user would
        page.keyboard.press("Tab")
        if name.evaluate("e => e === document.activeElement"):
            break
    expect(name).to_be_focused()
    page.keyboard.type("Nguyễn Văn Phím")
    page.keyboard.press("Tab")
    page.keyboard.type("phim@example.vn")
    page.keyboard.press("Tab")
    page.keyboard.type("Đèn đường khu phố 3 đã sáng, cảm ơn.")
    page.keyboard.press("Tab")  # the "show my given name" box
    page.keyboard.press("Tab")  # the send button (the honeypot is out of the tab order)
    focused = page.evaluate("[document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["BUTTON", "solid"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Cảm ơn bạn")
    page.screenshot(path=artifact_path("portal-feedback-sent-390.png"), full_page=True)
    from chithi.portal.models import Feedback

    assert Feedback.objects.get().name == "Nguyễn Văn Phím"


def test_static_files_are_compressed_and_cached_for_a_year(site, world):
    import re
    import urllib.request

    page = urllib.request.urlopen(site + "/").read().decode()  # noqa: S310 (the test's own server)
    stylesheet = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "collected static files carry a content hash in their names"
    request = urllib.request.Request(site + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"] and "max-age=315360000" in response.headers[
            "Cache-Control"]
        assert len(response.read()) < 40_000  # Bootstrap's 230 KB stylesheet travels as ~30 KB
