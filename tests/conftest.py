"""External-client tests: a real Odoo server on loopback over the database that
setup/test installed, driven through XML-RPC and HTTP like a provider or an
integration would."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client

import pytest


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_url():
    database, config = (
        os.environ.get("COMMS_TEST_DB"),
        os.environ.get("COMMS_ODOO_CONF"),
    )
    if not (database and config):
        pytest.fail(
            "run through ./setup/test, which provides COMMS_TEST_DB and COMMS_ODOO_CONF"
        )
    port = _free_port()
    server = subprocess.Popen(
        [
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
            str(_free_port()),
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ],
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/web/health", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the Odoo server did not start")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=60)


class Rpc:
    """Odoo's external API (XML-RPC), as admin."""

    def __init__(self, url, database, login="admin", password="admin"):  # noqa: S107
        self.database, self.password = database, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(database, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.database, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="session")
def rpc(server_url):
    return Rpc(server_url, os.environ["COMMS_TEST_DB"])
