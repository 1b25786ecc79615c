"""Screenshots of the real web client for the README.

Usage: python3 setup/screenshots.py BASE_URL OUT_DIR name=/odoo/path[|selector] …
Logs in as admin/admin in headless Chromium (Chrome DevTools protocol) and saves
OUT_DIR/name.png for each page once it is drawn: the CSS selector (by default the
action's view) is present and no request has been under way for a moment. A
near-uniform image (a blank page) is refused.
"""

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket
from PIL import Image, ImageStat

DEFAULT_SELECTOR = ".o_action_manager .o_view_controller .o_content"
IDLE_SECONDS = 0.8
TIMEOUT_SECONDS = 60
# A screenshot whose grey levels hardly vary is a blank page, not a screen.
MIN_STDDEV = 8


def start_chromium():
    profile = tempfile.mkdtemp()
    port = 9333
    browser = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            "--window-size=1400,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            listing = urllib.request.urlopen(f"http://127.0.0.1:{port}/json")
            pages = json.load(listing)
            page = next(p for p in pages if p["type"] == "page")
            return browser, websocket.create_connection(page["webSocketDebuggerUrl"])
        except (OSError, StopIteration):
            time.sleep(0.2)
    raise RuntimeError("Chromium did not start")


class Page:
    def __init__(self, ws):
        self.ws, self.next_id = ws, 0
        self.inflight = set()

    def _handle_event(self, event):
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            if "/websocket" not in params["request"]["url"]:  # open for good
                self.inflight.add(params["requestId"])
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.discard(params["requestId"])

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                return answer.get("result", {})
            self._handle_event(answer)

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result.get("result", {}).get("value")

    def wait_drawn(self, selector):
        """Until `selector` is on the page and the network has been idle a moment."""
        check = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.monotonic() + TIMEOUT_SECONDS
        idle_since = None
        while time.monotonic() < deadline:
            if self.evaluate(check) and not self.inflight:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= IDLE_SECONDS:
                    self.evaluate("document.fonts.ready.then(() => true)")
                    return
            else:
                idle_since = None
            time.sleep(0.1)
        raise RuntimeError(f"{selector!r} not drawn within {TIMEOUT_SECONDS} s")

    def goto(self, url, selector):
        self.inflight.clear()
        self.call("Page.navigate", url=url)
        self.wait_drawn(selector)


def is_near_uniform(png_bytes):
    """True for a blank or single-colour image."""
    image = Image.open(io.BytesIO(png_bytes)).convert("L")
    return ImageStat.Stat(image).stddev[0] < MIN_STDDEV


def main(base_url, out_dir, *shots):
    browser, ws = start_chromium()
    page = Page(ws)
    try:
        page.call("Page.enable")
        page.call("Network.enable")
        page.goto(f"{base_url}/web/login", "form.oe_login_form")
        page.evaluate(
            "document.querySelector('#login').value='admin';"
            "document.querySelector('#password').value='admin';"
            "document.querySelector('form.oe_login_form').submit();"
        )
        page.wait_drawn(".o_main_navbar")
        for shot in shots:
            name, target_spec = shot.split("=", 1)
            path, _sep, selector = target_spec.partition("|")
            page.goto(base_url + path, selector or DEFAULT_SELECTOR)
            png = base64.b64decode(
                page.call("Page.captureScreenshot", format="png")["data"]
            )
            if is_near_uniform(png):
                raise RuntimeError(f"{name}: the page is blank, not saved")
            target = os.path.join(out_dir, f"{name}.png")
            with open(target, "wb") as handle:
                handle.write(png)
            print(target)
    finally:
        browser.terminate()


if __name__ == "__main__":
    main(*sys.argv[1:])
