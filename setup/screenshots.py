"""Screenshots of the real web client for the README.

Usage: python3 setup/screenshots.py BASE_URL OUT_DIR name=/odoo/path [name=/odoo/path …]
Logs in as admin/admin in headless Chromium (Chrome DevTools protocol) and saves
OUT_DIR/name.png for each page once the web client is idle.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


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

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                return answer.get("result", {})

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, awaitPromise=True)

    def goto(self, url, settle=6):
        self.call("Page.navigate", url=url)
        time.sleep(settle)


def main(base_url, out_dir, *shots):
    browser, ws = start_chromium()
    page = Page(ws)
    try:
        page.call("Page.enable")
        page.goto(f"{base_url}/web/login")
        page.evaluate(
            "document.querySelector('#login').value='admin';"
            "document.querySelector('#password').value='admin';"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(4)
        for shot in shots:
            name, path = shot.split("=", 1)
            page.goto(base_url + path)
            data = page.call("Page.captureScreenshot", format="png")["data"]
            target = os.path.join(out_dir, f"{name}.png")
            with open(target, "wb") as handle:
                handle.write(base64.b64decode(data))
            print(target)
    finally:
        browser.terminate()


if __name__ == "__main__":
    main(*sys.argv[1:])
