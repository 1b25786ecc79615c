"""Twenty clients moving prepaid units between the same wallets over XML-RPC, on a
real server with two workers: no balance below zero, every balance equal to its
ledger, the units conserved, every transfer that returned success in the ledger
exactly once, and a request retried with its idempotency key applied once."""

import os
import random
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import Rpc
from odoo_server import odoo_server

import odoo
from odoo import SUPERUSER_ID, Command, api

WALLETS = 4
UNITS_EACH = 200
CLIENTS = 20
REQUESTS = 200


def registry():
    return odoo.modules.registry.Registry(os.environ["COMMS_TEST_DB"])


@pytest.fixture(scope="module")
def workers_url():
    database, config = os.environ["COMMS_TEST_DB"], os.environ["COMMS_ODOO_CONF"]
    with odoo_server(config, database, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def wallet_ids():
    """Four accounts of the admin's reseller with 200 units each, committed."""
    run = uuid.uuid4().hex[:8]
    with registry().cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.user_admin").company_id
        accounts = env["comms.account"].create(
            [
                {
                    "partner_id": env["res.partner"]
                    .create({"name": f"Units {run} {n}", "is_company": True})
                    .id,
                    "company_id": company.id,
                    "user_ids": [
                        Command.create(
                            {"name": f"User {run} {n}", "email": f"u{run}{n}@x.com"}
                        )
                    ],
                }
                for n in range(WALLETS)
            ]
        )
        wallets = accounts._units_wallet()
        for wallet in wallets:
            wallet._credit("correction", UNITS_EACH, key=f"setup-{run}")
        return wallets.ids


def _transfer(rpc, request):
    """Send one transfer request until the server answers (a client retrying a
    lost answer with the same idempotency key); None when refused."""
    for _attempt in range(10):
        try:
            return rpc(
                "comms.unit.wallet",
                "transfer_units",
                [request["from"]],
                request["to"],
                request["units"],
                request["key"],
            )
        except xmlrpc.client.Fault as fault:
            if "units: " in fault.faultString and "are needed" in fault.faultString:
                return None  # refused: not enough units
            if "could not serialize" not in fault.faultString:
                raise
    raise AssertionError(f"{request['key']} never got an answer")


def test_concurrent_transfers_keep_the_ledger_exact(workers_url, wallet_ids):
    database = os.environ["COMMS_TEST_DB"]
    rng = random.Random(12)
    requests = []
    for n in range(REQUESTS):
        source, target = rng.sample(wallet_ids, 2)
        requests.append(
            {
                "from": source,
                "to": target,
                "units": rng.randint(1, 60),
                "key": f"transfer-{uuid.uuid4().hex}-{n}",
            }
        )
    # Every fifth request is sent twice, by two clients at once.
    sent = requests + requests[::5]
    rng.shuffle(sent)

    def client(batch):
        rpc = Rpc(workers_url, database)
        return [(request["key"], _transfer(rpc, request)) for request in batch]

    batches = [sent[n::CLIENTS] for n in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = [answer for batch in pool.map(client, batches) for answer in batch]

    results = {}
    for key, debit_id in answers:
        results.setdefault(key, set()).add(debit_id)
    # A request sent again gets the first success again. A refusal is not
    # recorded: the same request may pass later, once units came in.
    successes = {key: ids - {None} for key, ids in results.items()}
    assert all(len(ids) <= 1 for ids in successes.values()), successes
    succeeded = {key: ids.pop() for key, ids in successes.items() if ids}
    assert succeeded, "no transfer succeeded"

    with registry().cursor() as cr:
        cr.execute(
            """SELECT w.id, w.balance, COALESCE(SUM(m.amount), 0)
                 FROM comms_unit_wallet w
            LEFT JOIN comms_unit_move m ON m.wallet_id = w.id
                WHERE w.id IN %s GROUP BY w.id""",
            [tuple(wallet_ids)],
        )
        balances = cr.fetchall()
        assert all(balance >= 0 for _id, balance, _sum in balances), balances
        assert all(balance == total for _id, balance, total in balances), balances
        assert sum(balance for _id, balance, _sum in balances) == WALLETS * UNITS_EACH
        cr.execute(
            """SELECT idempotency_key, kind, array_agg(id), count(*)
                 FROM comms_unit_move
                WHERE wallet_id IN %s AND kind IN ('transfer_out', 'transfer_in')
             GROUP BY idempotency_key, kind""",
            [tuple(wallet_ids)],
        )
        ledger = {(key, kind): (ids, count) for key, kind, ids, count in cr.fetchall()}
    for key, debit_id in succeeded.items():
        assert ledger[key, "transfer_out"] == ([debit_id], 1)
        assert ledger[key, "transfer_in"][1] == 1
    refused = set(results) - set(succeeded)
    assert not {key for key, _kind in ledger} & refused
    assert {key for key, _kind in ledger} == set(succeeded)
