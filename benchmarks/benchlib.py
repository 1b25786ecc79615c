"""What every benchmark needs: an Odoo environment on the bench database, a query
counter, a timer, a server on loopback for HTTP benchmarks, and the JSON line."""

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import odoo
from odoo import SUPERUSER_ID, api


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level", "warn"]
    )
    return args


@contextlib.contextmanager
def environment(database, commit=False):
    """An environment whose work is rolled back unless commit is set."""
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        try:
            yield env
            if commit:
                cr.commit()
        finally:
            if not commit:
                cr.rollback()


class Measure:
    """Wall time and SQL queries spent inside the block."""

    def __init__(self, cr):
        self.cr = cr
        self.seconds = self.queries = 0

    def __enter__(self):
        self.cr.flush()
        self._queries = self.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cr.flush()
        self.seconds = time.perf_counter() - self._start
        self.queries = self.cr.sql_log_count - self._queries


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def odoo_server(config, database, workers=0, access_log=None):
    """An Odoo server for `database` on a loopback port; yields its base URL.

    With `access_log`, werkzeug's access lines go to that file: Odoo appends to each
    the request's query count, SQL time and remaining time (see access_log_figures).
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        config,
        "-d",
        database,
        "--db-filter",
        f"^{database}$",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--gevent-port",
        str(free_port()),
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        "--workers",
        str(workers),
    ]
    if access_log:
        command += ["--log-handler", "werkzeug:INFO", "--logfile", access_log]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/web/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the Odoo server did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)


def access_log_figures(path, route):
    """[(query_count, sql_seconds, other_seconds)] of the requests to `route`."""
    figures = []
    with open(path, encoding="utf-8") as log:
        for line in log:
            if f"POST {route}" in line:
                queries, sql_time, other_time = line.split()[-3:]
                figures.append((int(queries), float(sql_time), float(other_time)))
    return figures


def report(name, **figures):
    print(json.dumps({"bench": name, **figures}), flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


os.environ.setdefault("TZ", "UTC")
