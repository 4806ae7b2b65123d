"""First paint and first-load weight of the public pages of a running server (e.g. `make demo`), as a new visitor
on a phone sees them: Debian's Chromium at 390 px, a fresh profile per page (nothing cached), three loads each.

    .venv/bin/python bench/portal_paint.py --url http://127.0.0.1:8000 [--throttle]

--throttle adds a phone network (Chrome's "Fast 3G": 1.6 Mbit/s down, 150 ms latency) to show what the weight
costs on a real connection. Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics

PAGES = ["/", "/tin-tuc/", "/tim/?q=hu+gao", "/so-lieu/", "/gop-y/", "/tra-cuu/", "/phan-anh/", "/mo-hinh/"]
WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  let bytes = nav.transferSize;
  for (const e of performance.getEntriesByType('resource'))
    if (e.initiatorType !== 'img' && !/\\/anh\\/|\\/media\\//.test(e.name)) bytes += e.transferSize;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return [bytes, paint ? paint.startTime : null];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--throttle", action="store_true")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        first = browser.new_page()
        first.goto(f"{args.url}/tin-tuc/")
        links = first.eval_on_selector_all(".portal-title-link", "els => els.map(e => e.getAttribute('href'))")
        pages = PAGES + links[:1]
        print(f"{'page':<60} {'KB':>6} {'first paint ms (median of 3)':>30}")
        for path in pages:
            paints, weight = [], 0
            for _run in range(3):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                if args.throttle:
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                                  "downloadThroughput": 1.6e6 / 8,
                                                                  "uploadThroughput": 0.75e6 / 8})
                page.goto(args.url + path, wait_until="load")
                page.wait_for_timeout(100)
                weight, paint = page.evaluate(WEIGHT)
                paints.append(paint or 0)
                context.close()
            print(f"{path[:60]:<60} {weight / 1024:>6.1f} {statistics.median(paints):>30.0f}")
        browser.close()


if __name__ == "__main__":
    main()
