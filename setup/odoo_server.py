"""A real Odoo server on a loopback port, for the top-level tests (tests/) and the
HTTP benchmarks (benchmarks/)."""

import contextlib
import importlib.util
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_launcher(workers):
    """How to start Odoo: with workers, Odoo starts its gevent (websocket) process
    by running sys.argv[0] again, which `python -m odoo` leaves as odoo/__main__.py,
    a module that cannot run as a script; Odoo's own launcher script can."""
    if workers:
        package = pathlib.Path(importlib.util.find_spec("odoo").origin).parent
        script = package.parent / "setup" / "odoo"
        if script.exists():
            return [str(script)]
    return ["-m", "odoo"]


@contextlib.contextmanager
def odoo_server(config, database, workers=0, access_log=None, server_log=None):
    """An Odoo server for `database` on a loopback port; yields its base URL.

    With `access_log`, werkzeug's access lines go to that file: Odoo appends to each
    the request's query count, SQL time and remaining time (see access_log_figures).
    With `server_log`, Odoo's RPC retries after a serialization failure are logged
    to that file (see benchmarks/bench_wallet_transfer_throughput.py).
    """
    port = free_port()
    command = [
        sys.executable,
        *odoo_launcher(workers),
        "-c",
        config,
        # -d alone serves that one database. With --db-filter as well, Odoo lists
        # the server's databases on every request, over a new connection to
        # "postgres" (odoo.service.db.list_dbs): a backend forked per request.
        "-d",
        database,
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
    elif server_log:
        command += ["--log-handler", "odoo.service.model:INFO", "--logfile", server_log]
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
