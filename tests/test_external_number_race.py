"""Unsubscribing an account (its number goes back to the stock) while two other
accounts try to take that number, over XML-RPC against a server with two worker
processes: the number must end on one account at most, and every call that said
it succeeded must be true in the database."""

import os
import random
import threading
import time
import uuid
import xmlrpc.client

import pytest
from conftest import Rpc
from odoo_server import odoo_server

ROUNDS = 4
ATTEMPTS = 20
PAUSE = 0.2  # seconds between two attempts to take the number


@pytest.fixture(scope="module")
def rpc_workers():
    database, config = os.environ["COMMS_TEST_DB"], os.environ["COMMS_ODOO_CONF"]
    with odoo_server(config, database, workers=2) as url:
        yield lambda: Rpc(url, database)


def _account(rpc, name):
    tag = uuid.uuid4().hex[:8]
    partner = rpc(
        "res.partner", "create", {"name": f"{name} {tag}", "is_company": True}
    )
    return rpc(
        "comms.account",
        "create",
        {
            "partner_id": partner,
            "billing_status": "production",
            "user_ids": [
                (0, 0, {"name": f"{name} admin", "email": f"{tag}@race.example.com"})
            ],
        },
    )


def _count_numbers(rpc, number, *domain):
    return rpc("comms.number", "search_count", [("name", "=", number), *domain])


def _free_number(rpc):
    """A fictional North American number that no account holds yet."""
    while True:
        number = f"+1202555{random.randint(100, 199):04d}"
        if not _count_numbers(rpc, number, ("state", "!=", "released")):
            return number


def _call(rpc, outcomes, label, model, method, *args):
    try:
        rpc(model, method, *args)
    except xmlrpc.client.Fault as fault:
        outcomes.append((label, "refused", fault.faultString.splitlines()[-1]))
        return False
    outcomes.append((label, "ok", None))
    return True


def _race(new_rpc, account_a, account_b, account_c, number_id):
    outcomes, start = [], threading.Barrier(3)

    def unsubscribe():
        rpc = new_rpc()
        start.wait()
        args = ("comms.account", "action_unsubscribe", [account_a])
        _call(rpc, outcomes, "unsubscribe A", *args)

    def take(label, account):
        rpc = new_rpc()
        start.wait()
        args = ("comms.number", "write", [number_id], {"account_id": account})
        for _attempt in range(ATTEMPTS):
            if _call(rpc, outcomes, label, *args):
                return
            time.sleep(PAUSE)

    threads = [
        threading.Thread(target=unsubscribe),
        threading.Thread(target=take, args=("assign B", account_b)),
        threading.Thread(target=take, args=("assign C", account_c)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not any(thread.is_alive() for thread in threads), "a call never returned"
    return outcomes


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_released_number_taken_by_one_account_only(rpc_workers, round_):
    rpc = rpc_workers()
    accounts = account_a, account_b, account_c = [_account(rpc, n) for n in "ABC"]
    number = _free_number(rpc)
    number_id = rpc("comms.number", "create", {"name": number, "account_id": account_a})
    try:
        outcomes = _race(rpc_workers, *accounts, number_id)
        succeeded = {label for label, result, _why in outcomes if result == "ok"}

        holders = [
            a for a in accounts if _count_numbers(rpc, number, ("account_id", "=", a))
        ]
        assert len(holders) <= 1, f"{number} is on accounts {holders}: {outcomes}"
        assert _count_numbers(rpc, number, ("state", "!=", "released")) == 1
        (held,) = rpc("comms.number", "read", [number_id], ["account_id", "state"])
        holder = held["account_id"] and held["account_id"][0]
        (status_a,) = rpc("comms.account", "read", [account_a], ["billing_status"])
        if "unsubscribe A" in succeeded:
            assert status_a["billing_status"] == "unsubscribed"
            assert holder != account_a
        # Nothing takes a number off B or C here: an assignment that succeeded holds.
        for label, account in (("assign B", account_b), ("assign C", account_c)):
            if label in succeeded:
                assert holder == account, f"{label} succeeded: {outcomes}"
        assert "unsubscribe A" in succeeded, outcomes
        assert len(succeeded & {"assign B", "assign C"}) == 1, outcomes
        assert held["state"] == ("assigned" if holder else "available")
    finally:
        _release(rpc, number_id)


def _release(rpc, number_id):
    """Back to the carrier, so that a later run can use the number again."""
    if rpc("comms.number", "read", [number_id], ["account_id"])[0]["account_id"]:
        rpc("comms.number", "action_unassign", [number_id])
    rpc("comms.number", "action_release", [number_id])
