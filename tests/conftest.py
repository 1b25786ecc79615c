"""External-client tests: a real Odoo server on loopback over the database that
setup/test installed, driven through XML-RPC and HTTP like a provider or an
integration would."""

import os
import pathlib
import sys
import xmlrpc.client

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "setup"))
from odoo_server import odoo_server  # noqa: E402


@pytest.fixture(scope="session")
def server_url():
    database, config = (
        os.environ.get("COMMS_TEST_DB"),
        os.environ.get("COMMS_ODOO_CONF"),
    )
    if not (database and config):
        pytest.fail(
            "run through ./setup/test: it sets COMMS_TEST_DB and COMMS_ODOO_CONF"
        )
    with odoo_server(config, database) as url:
        yield url


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
