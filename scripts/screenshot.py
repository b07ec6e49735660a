"""Take a screenshot of the web page over a store: `python scripts/screenshot.py eventwire.duckdb docs/page.png`.

Uses Debian's chromium through Playwright, like the browser test; the server runs on a free loopback port.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

from eventwire.server.app import create_app


def main(db: str, out: str, event_type: str = "MOBILIZE", country: str = "NER") -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/api/stats")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready='1']")
        page.select_option("#f-type", event_type)
        page.click("#f-apply")
        page.wait_for_timeout(500)
        page.click("#events tbody tr")
        page.wait_for_selector("#detail mark.trigger")
        page.fill("#sit-country", country)
        page.click("#sit-form button")
        page.wait_for_selector("#situation table")
        page.screenshot(path=out, full_page=True)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main(*sys.argv[1:])
