"""Twenty clients moving prepaid units between the same wallets over XML-RPC, on a
real server with two workers: transfers between members, top-ups from their group's
owner and faxes queued from their lines, at the same time. Afterwards no balance is
below zero, every balance equals its ledger, the units are conserved (purchases
minus the faxes sent), every call that returned success is in the ledger exactly
once, and a request retried with its idempotency key applied once."""

import base64
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

from odoo.addons.comms_fax.tests.common import TELNYX_KEY, FakeProviderServer, make_pdf

WALLETS = 4
UNITS_EACH = 200
OWNER_UNITS = 1000
CLIENTS = 20
REQUESTS = 200
TOP_UPS = 40
FAXES = 40
UNITS_PER_PAGE = 3
RETRIED = ("could not serialize", "concurrent update")


def registry():
    return odoo.modules.registry.Registry(os.environ["COMMS_TEST_DB"])


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    """Where the server logs the requests it retries after a serialization
    failure."""
    return tmp_path_factory.mktemp("units") / "server.log"


@pytest.fixture(scope="module")
def workers_url(server_log):
    database, config = os.environ["COMMS_TEST_DB"], os.environ["COMMS_ODOO_CONF"]
    with odoo_server(config, database, workers=2, server_log=str(server_log)) as url:
        yield url


@pytest.fixture(scope="module")
def fax_provider():
    server = FakeProviderServer().start()
    yield server
    server.stop()


def _account(env, company, name, email):
    return env["comms.account"].create(
        {
            "partner_id": env["res.partner"]
            .create({"name": name, "is_company": True})
            .id,
            "company_id": company.id,
            "billing_status": "production",
            "user_ids": [Command.create({"name": f"User of {name}", "email": email})],
        }
    )


@pytest.fixture(scope="module")
def units_setup(fax_provider):
    """Four member accounts of one owner's group with 200 units each and a fax
    line each, the owner with 1000 units, all committed."""
    run = uuid.uuid4().hex[:8]
    rng = random.Random(run)
    with registry().cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.user_admin").company_id
        company.comms_units_per_fax_page = UNITS_PER_PAGE
        provider = env["comms.fax.provider"].create(
            {
                "name": f"Telnyx {run}",
                "provider_type": "telnyx",
                "base_url": fax_provider.url,
                "api_key": TELNYX_KEY,
                "connection_id": "1684641123236054244",
                "company_id": company.id,
                "timeout": 10,
            }
        )
        owner = _account(env, company, f"Owner {run}", f"o{run}@x.com")
        accounts = env["comms.account"]
        lines = env["comms.fax.line"]
        for n in range(WALLETS):
            account = _account(env, company, f"Units {run} {n}", f"u{run}{n}@x.com")
            number = f"+1202{rng.randint(200, 999)}{rng.randint(0, 9999):04}"
            env["comms.number"].create(
                {
                    "name": number,
                    "company_id": company.id,
                    "account_id": account.id,
                    "country_id": env.ref("base.us").id,
                    "option_fax": True,
                }
            )
            group = env["comms.group"].create(
                {
                    "name": f"Desk {run} {n}",
                    "company_id": company.id,
                    "comms_account_id": account.id,
                }
            )
            lines |= env["comms.fax.line"].create(
                {
                    "number": number,
                    "group_id": group.id,
                    "provider_id": provider.id,
                }
            )
            accounts |= account
        wallets = accounts._units_wallet()
        for wallet in wallets:
            wallet._credit("correction", UNITS_EACH, key=f"setup-{run}")
        owner_wallet = owner._units_wallet()
        owner_wallet._credit("correction", OWNER_UNITS, key=f"setup-{run}")
        unit_group = env["comms.unit.group"]._for_owner(owner)
        memberships = env["comms.unit.group.member"].create(
            [
                {"group_id": unit_group.id, "account_id": account.id, "state": "active"}
                for account in accounts
            ]
        )
        return {
            "wallet_ids": wallets.ids,
            "owner_wallet_id": owner_wallet.id,
            "group_id": unit_group.id,
            "membership_ids": memberships.ids,
            "line_ids": lines.ids,
        }


@pytest.fixture(scope="module")
def wallet_ids(units_setup):
    return units_setup["wallet_ids"]


def _retried(call, refusal):
    """Send one request until the server answers (a client retrying a lost
    answer, or a serialization failure, with the same idempotency key); None
    when refused for want of units."""
    for _attempt in range(10):
        try:
            return call()
        except xmlrpc.client.Fault as fault:
            if refusal(fault.faultString):
                return None
            if not any(text in fault.faultString for text in RETRIED):
                raise
    raise AssertionError("never got an answer")


def _short_of_units(message):
    return "units: " in message and "are needed" in message


def _send_transfer(rpc, request):
    return rpc(
        "comms.unit.wallet",
        "transfer_units",
        [request["from"]],
        request["to"],
        request["units"],
        request["key"],
    )


def _transfer(rpc, request):
    """Send one transfer request until the server answers (a client retrying a
    lost answer with the same idempotency key); None when refused."""
    return _retried(lambda: _send_transfer(rpc, request), _short_of_units)


def _top_up(rpc, request):
    """The owner's top-up of some members, through the group's top-up form;
    True when done. A retry opens the form anew with the same key."""

    def call():
        wizard_id = rpc(
            "comms.unit.group.transfer",
            "create",
            {
                "group_id": request["group"],
                "mode": "top_up",
                "membership_ids": [(6, 0, request["memberships"])],
                "units": request["units"],
                "idempotency_key": request["key"],
            },
        )
        rpc("comms.unit.group.transfer", "action_confirm", [wizard_id])
        return True

    return _retried(call, _short_of_units)


def _queue_fax(rpc, request):
    """A fax queued from an account's line through the send form; its id, or
    None when the account's units do not cover it."""

    def call():
        attachment_id = rpc(
            "ir.attachment",
            "create",
            {
                "name": f"{request['key']}.pdf",
                "datas": request["pdf"],
                "mimetype": "application/pdf",
            },
        )
        wizard_id = rpc(
            "comms.fax.send",
            "create",
            {
                "line_id": request["line"],
                "recipient_number": "+1 212 555 0142",
                "attachment_ids": [(6, 0, [attachment_id])],
                "cover_page": False,
            },
        )
        action = rpc("comms.fax.send", "action_send", [wizard_id])
        return action["res_id"]

    return _retried(call, lambda message: "Buy units to send it" in message)


def _requests(rng, setup):
    wallet_ids = setup["wallet_ids"]
    requests = []
    for n in range(REQUESTS):
        source, target = rng.sample(wallet_ids, 2)
        requests.append(
            {
                "kind": "transfer",
                "from": source,
                "to": target,
                "units": rng.randint(1, 60),
                "key": f"transfer-{uuid.uuid4().hex}-{n}",
            }
        )
    for n in range(TOP_UPS):
        requests.append(
            {
                "kind": "top_up",
                "group": setup["group_id"],
                "memberships": rng.sample(setup["membership_ids"], rng.randint(1, 2)),
                "units": rng.randint(100, 220),
                "key": f"top-up-{uuid.uuid4().hex}-{n}",
            }
        )
    for n in range(FAXES):
        pages = rng.randint(1, 12)
        requests.append(
            {
                "kind": "fax",
                "line": rng.choice(setup["line_ids"]),
                "pages": pages,
                "pdf": base64.b64encode(make_pdf(pages, f"Order {n}")).decode(),
                "key": f"fax-{n}",
            }
        )
    return requests


SENDERS = {"transfer": _transfer, "top_up": _top_up, "fax": _queue_fax}


def _send_queued_faxes(fax_ids):
    """The send cron, then the provider's word: every other fax sent, the
    others failed."""
    with registry().cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["comms.fax"]._cron_send_queued()
        faxes = env["comms.fax"].browse(sorted(fax_ids))
        assert set(faxes.mapped("state")) <= {"sending"}, faxes.mapped("state")
        sent = faxes[::2]
        for fax in faxes:
            fax._apply_status("sent" if fax in sent else "failed", "Busy line")
        return set(sent.ids)


def _ledger_balances(wallet_ids):
    with registry().cursor() as cr:
        cr.execute(
            """SELECT w.id, w.balance, COALESCE(SUM(m.amount), 0)
                 FROM comms_unit_wallet w
            LEFT JOIN comms_unit_move m ON m.wallet_id = w.id
                WHERE w.id IN %s GROUP BY w.id""",
            [tuple(wallet_ids)],
        )
        return cr.fetchall()


def test_concurrent_transfers_keep_the_ledger_exact(
    workers_url, units_setup, fax_provider
):
    database = os.environ["COMMS_TEST_DB"]
    wallet_ids = units_setup["wallet_ids"]
    rng = random.Random(12)
    requests = _requests(rng, units_setup)
    # Every fifth transfer or top-up is sent twice, by two clients at once.
    keyed = [request for request in requests if request["kind"] != "fax"]
    sent = requests + keyed[::5]
    rng.shuffle(sent)

    def client(batch):
        rpc = Rpc(workers_url, database)
        return [(request, SENDERS[request["kind"]](rpc, request)) for request in batch]

    batches = [sent[n::CLIENTS] for n in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = [answer for batch in pool.map(client, batches) for answer in batch]

    results = {}
    for request, answer in answers:
        results.setdefault(request["key"], set()).add(answer)
    # A request sent again gets the first success again. A refusal is not
    # recorded: the same request may pass later, once units came in.
    successes = {key: ids - {None} for key, ids in results.items()}
    transfers = {r["key"] for r in requests if r["kind"] == "transfer"}
    assert all(len(successes[key]) <= 1 for key in transfers), successes
    succeeded = {key: successes[key].pop() for key in transfers if successes[key]}
    assert succeeded, "no transfer succeeded"
    topped_up = {
        r["key"] for r in requests if r["kind"] == "top_up" and successes[r["key"]]
    }
    assert topped_up, "no top-up succeeded"
    faxes = {
        successes[r["key"]].pop(): r["pages"]
        for r in requests
        if r["kind"] == "fax" and successes[r["key"]]
    }
    assert faxes, "no fax was queued"
    sent_faxes = _send_queued_faxes(faxes)
    assert sent_faxes, "no fax was sent"
    consumed = sum(faxes[fax] * UNITS_PER_PAGE for fax in sent_faxes)
    all_wallets = tuple(wallet_ids + [units_setup["owner_wallet_id"]])

    balances = _ledger_balances(all_wallets)
    assert all(balance >= 0 for _id, balance, _sum in balances), balances
    assert all(balance == total for _id, balance, total in balances), balances
    assert sum(balance for _id, balance, _sum in balances) == (
        WALLETS * UNITS_EACH + OWNER_UNITS - consumed
    )
    with registry().cursor() as cr:
        cr.execute(
            """SELECT idempotency_key, kind, array_agg(id), count(*)
                 FROM comms_unit_move
                WHERE wallet_id IN %s AND kind IN ('transfer_out', 'transfer_in')
             GROUP BY idempotency_key, kind""",
            [all_wallets],
        )
        ledger = {(key, kind): (ids, count) for key, kind, ids, count in cr.fetchall()}
        cr.execute(
            """SELECT split_part(source_ref, ',', 2)::int, kind, array_agg(amount)
                 FROM comms_unit_move
                WHERE wallet_id IN %s AND source_ref LIKE 'comms.fax,%%'
             GROUP BY source_ref, kind""",
            [all_wallets],
        )
        fax_ledger = {(fax, kind): amounts for fax, kind, amounts in cr.fetchall()}
    for key, debit_id in succeeded.items():
        assert ledger[key, "transfer_out"] == ([debit_id], 1)
        assert ledger[key, "transfer_in"][1] == 1
    # A top-up's lines carry its key and the member's account.
    top_up_keys = {key for key, _kind in ledger if key.startswith("top-up-")}
    assert top_up_keys, "no top-up moved units"
    assert {key.rsplit(":", 1)[0] for key in top_up_keys} <= topped_up
    assert all(ledger[key, "transfer_out"][1] == 1 for key in top_up_keys)
    assert all(ledger[key, "transfer_in"][1] == 1 for key in top_up_keys)
    refused = transfers - set(succeeded)
    assert not {key for key, _kind in ledger} & refused
    assert {key for key, _kind in ledger} - top_up_keys == set(succeeded)
    for fax, pages in faxes.items():
        units = pages * UNITS_PER_PAGE
        assert fax_ledger[fax, "reservation"] == [-units]
        assert fax_ledger[fax, "release"] == [units]
        expected = [-units] if fax in sent_faxes else None
        assert fax_ledger.get((fax, "consumption")) == expected


def test_transfers_over_the_api_wait_their_turn(workers_url, server_log, units_setup):
    """Transfers sent over the external API between the same four wallets queue
    for them: none fails on a concurrent update, so the server retries none (each
    retry sleeps up to two seconds in a worker), a refused one holds no wallet
    afterwards, and the ledger stays exact."""
    database = os.environ["COMMS_TEST_DB"]
    wallet_ids = units_setup["wallet_ids"]
    rng = random.Random(21)
    requests = []
    for n in range(REQUESTS):
        source, target = rng.sample(wallet_ids, 2)
        # Every tenth asks for more units than the four wallets hold together.
        units = 100_000 if n % 10 == 0 else rng.randint(1, 60)
        key = f"turn-{uuid.uuid4().hex}-{n}"
        requests.append({"from": source, "to": target, "units": units, "key": key})
    total_before = sum(balance for _id, balance, _sum in _ledger_balances(wallet_ids))
    log_before = server_log.stat().st_size

    def client(batch):
        rpc = Rpc(workers_url, database)
        answers = []
        for request in batch:
            try:
                answer = _send_transfer(rpc, request)
            except xmlrpc.client.Fault as fault:
                assert _short_of_units(fault.faultString), fault.faultString
                answer = None
            answers.append((request, answer))
        return answers

    batches = [requests[n::CLIENTS] for n in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = [answer for batch in pool.map(client, batches) for answer in batch]

    with server_log.open(encoding="utf-8") as log:
        log.seek(log_before)
        retried = [line for line in log if "tries left" in line]
    assert not retried, retried
    succeeded = {request["key"]: debit for request, debit in answers if debit}
    assert succeeded, "no transfer succeeded"
    refused = {request["key"] for request, debit in answers if not debit}
    assert {r["key"] for r in requests if r["units"] == 100_000} <= refused
    balances = _ledger_balances(wallet_ids)
    assert all(balance >= 0 for _id, balance, _sum in balances), balances
    assert all(balance == total for _id, balance, total in balances), balances
    assert sum(balance for _id, balance, _sum in balances) == total_before
    with registry().cursor() as cr:
        cr.execute(
            """SELECT idempotency_key, array_agg(id) FROM comms_unit_move
                WHERE idempotency_key LIKE 'turn-%%' AND kind = 'transfer_out'
             GROUP BY idempotency_key"""
        )
        assert dict(cr.fetchall()) == {key: [debit] for key, debit in succeeded.items()}
        cr.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cr.fetchone()[0] == 0
