"""The README's picture of ``coach serve``: docs/serve.png, made in headless Chromium.

    python scripts/serve_screenshot.py [--out docs/serve.png] [--chromium /usr/bin/chromium]

Starts the page offline on a free port, pastes examples/cold-email/weak.txt, critiques it,
focuses the first highlighted passage (so its message and fix show) and saves the top of the page.
Needs the distribution's Chromium and ``pip install playwright`` (its own browser download is not used).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.app.coach import ModelChoice  # noqa: E402
from coach.rules.config import Settings  # noqa: E402
from coach.web.api import Service  # noqa: E402
from coach.web.server import make_server  # noqa: E402
from tests.test_browser import CHROMIUM_ARGS  # noqa: E402  (the same flags as the page tests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "serve.png"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=1700)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = make_server(Service(Settings(), ModelChoice(offline=True)), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    draft = (ROOT / "examples" / "cold-email" / "weak.txt").read_text(encoding="utf-8")
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready=true]")
            page.fill("#draft", draft)
            page.click("#critique-btn")
            page.wait_for_selector("#report-body mark")
            page.locator("#report-body mark[data-rules~=HYG001]").first.focus()
            page.evaluate("window.scrollTo(0, 0); document.getElementById('draft').scrollTop = 0")
            page.screenshot(path=args.out)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
