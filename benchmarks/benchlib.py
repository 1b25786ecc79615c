"""What every benchmark needs: an Odoo environment on the bench database, a query
counter, a timer, a server on loopback for HTTP benchmarks (setup/odoo_server.py,
shared with the top-level tests), and the JSON line."""

import argparse
import contextlib
import json
import os
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "setup"))
from odoo_server import odoo_server  # noqa: E402,F401  (benchmarks import it from here)


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
