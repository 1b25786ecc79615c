"""Prepaid units transfers by 20 concurrent JSON-RPC clients on a server with four
workers (each transfer waits for its two wallets' turn, locks their rows and writes
two ledger lines), against the same number of loyalty.card balance updates through
Odoo's own wizard (loyalty.card.update.balance: the balance changed in place, no
lock), each made as the web client makes it: read the card, create the wizard, press
its button (three calls, where a transfer is one). p95_ms is a transfer's round trip,
queueing for a worker included (20 clients, 4 workers); read_p95_ms is the same for
Odoo's cheapest call, a read of one wallet's balance by the same clients, the floor of
any call on this machine; serialization_retries counts the transfers the server or a
client sent again after a concurrent update."""

import os
import random
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from benchlib import environment, odoo_server, parse_args, percentile, report

N = 2000
CLIENTS = 20
WALLETS = 10
UNITS_EACH = 100_000
WORKERS = 4
CLIENT_RETRIES = []


class Client:
    """Odoo's external API over JSON-RPC (Odoo's wizard button returns None,
    which XML-RPC cannot carry), as admin."""

    def __init__(self, url, database):
        self.url, self.database = f"{url}/jsonrpc", database
        self.session = requests.Session()
        self.uid = self._call("common", "authenticate", database, "admin", "admin", {})

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
        }
        answer = self.session.post(self.url, json=payload, timeout=120).json()
        if "error" in answer:
            raise RpcError(answer["error"]["data"]["message"])
        return answer.get("result")

    def __call__(self, model, method, *args):
        # Odoo retried a serialization failure five times already; the client
        # sends the same request again (with the same idempotency key).
        for _attempt in range(5):
            try:
                return self._call(
                    "object",
                    "execute_kw",
                    self.database,
                    self.uid,
                    "admin",
                    model,
                    method,
                    list(args),
                )
            except RpcError as error:
                if "serializ" not in str(error):
                    raise
                CLIENT_RETRIES.append(method)
        raise RpcError(f"{method} kept failing on serialization")


class RpcError(Exception):
    pass


def setup(database):
    """Ten wallets with units, ten eWallet cards, committed."""
    run = uuid.uuid4().hex[:6]
    with environment(database, commit=True) as env:
        if env["ir.module.module"].search([("name", "=", "loyalty")]).state != (
            "installed"
        ):
            raise SystemExit("the baseline needs Odoo's loyalty app (./setup/bench)")
        _grant_loyalty_rights(env)
        admin = env.ref("base.user_admin")
        admin.groups_id |= env.ref("comms_reseller.group_reseller_manager")
        company = admin.company_id
        partners = env["res.partner"].create(
            [{"name": f"Bench units {run} {n}"} for n in range(WALLETS)]
        )
        accounts = env["comms.account"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_ids": [
                        (0, 0, {"name": partner.name, "email": f"b{run}{n}@x.com"})
                    ],
                }
                for n, partner in enumerate(partners)
            ]
        )
        wallets = accounts._units_wallet()
        for wallet in wallets:
            wallet._credit("correction", UNITS_EACH, key=f"bench-{run}")
        program = env["loyalty.program"].create(
            {"name": f"Bench eWallet {run}", "program_type": "ewallet"}
        )
        cards = env["loyalty.card"].create(
            [
                {"program_id": program.id, "partner_id": p.id, "points": UNITS_EACH}
                for p in partners
            ]
        )
        return wallets.ids, cards.ids


def _grant_loyalty_rights(env):
    """The rights sale_loyalty gives salesmen, without installing sale."""
    rights = {
        "loyalty.card": (1, 1, 0),
        "loyalty.card.update.balance": (1, 1, 1),
        "loyalty.history": (1, 0, 1),
        "loyalty.program": (1, 0, 0),
        "loyalty.rule": (1, 0, 0),
        "loyalty.reward": (1, 0, 0),
        "loyalty.mail": (1, 0, 0),
    }
    for model, (read, write, create) in rights.items():
        env["ir.model.access"].create(
            {
                "name": f"bench {model}",
                "model_id": env["ir.model"]._get_id(model),
                "group_id": env.ref("base.group_user").id,
                "perm_read": read,
                "perm_write": write,
                "perm_create": create,
            }
        )


def timed_calls(url, database, jobs):
    """Run `jobs` (callables taking a client) over CLIENTS threads; returns the
    wall time and each job's duration."""
    batches = [jobs[n::CLIENTS] for n in range(CLIENTS)]

    def run(batch):
        client, durations = Client(url, database), []
        for job in batch:
            start = time.perf_counter()
            job(client)
            durations.append(time.perf_counter() - start)
        return durations

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        durations = [d for batch in pool.map(run, batches) for d in batch]
    return time.perf_counter() - start, durations


def transfer_jobs(wallet_ids, rng):
    jobs = []
    for n in range(N):
        source, target = rng.sample(wallet_ids, 2)
        units, key = rng.randint(1, 20), f"bench-{uuid.uuid4().hex}-{n}"

        def job(client, source=source, target=target, units=units, key=key):
            client("comms.unit.wallet", "transfer_units", [source], target, units, key)

        jobs.append(job)
    return jobs


def read_jobs(wallet_ids, rng):
    jobs = []
    for _n in range(N):
        wallet_id = rng.choice(wallet_ids)

        def job(client, wallet_id=wallet_id):
            client("comms.unit.wallet", "read", [wallet_id], ["balance"])

        jobs.append(job)
    return jobs


def loyalty_jobs(card_ids, rng):
    jobs = []
    for _n in range(N):
        card_id, spent = rng.choice(card_ids), rng.randint(1, 20)

        def job(client, card_id=card_id, spent=spent):
            points = client("loyalty.card", "read", [card_id], ["points"])[0]["points"]
            wizard = client(
                "loyalty.card.update.balance",
                "create",
                {
                    "card_id": card_id,
                    "new_balance": points - spent,
                    "description": "Bench",
                },
            )
            try:
                client(
                    "loyalty.card.update.balance", "action_update_card_point", [wizard]
                )
            except RpcError as error:
                # Another client changed the card since it was read: without a
                # lock, Odoo's wizard may find the new balance already there.
                if "different then old balance" not in str(error):
                    raise

        jobs.append(job)
    return jobs


def serialization_retries(path):
    with open(path, encoding="utf-8") as log:
        return sum("tries left" in line for line in log)


def ledger_consistent(env, wallet_ids):
    env.cr.execute(
        """SELECT bool_and(w.balance = s.total AND w.balance >= 0),
                  SUM(w.balance) = %s
             FROM comms_unit_wallet w
             JOIN (SELECT wallet_id, SUM(amount) total FROM comms_unit_move
                    WHERE wallet_id IN %s GROUP BY wallet_id) s
               ON s.wallet_id = w.id""",
        [WALLETS * UNITS_EACH, tuple(wallet_ids)],
    )
    balances_match, conserved = env.cr.fetchone()
    env.cr.execute(
        """SELECT count(*) FROM comms_unit_move
            WHERE wallet_id IN %s AND kind = 'transfer_out'""",
        [tuple(wallet_ids)],
    )
    return bool(balances_match and conserved and env.cr.fetchone()[0] == N)


def main():
    args = parse_args()
    wallet_ids, card_ids = setup(args.database)
    rng = random.Random(7)
    server_log = os.path.join(tempfile.mkdtemp(), "server.log")
    with odoo_server(
        args.config, args.database, workers=WORKERS, server_log=server_log
    ) as url:
        Client(url, args.database)  # warm the workers' registries
        _seconds, read_durations = timed_calls(
            url, args.database, read_jobs(wallet_ids, rng)
        )
        baseline_seconds, _ = timed_calls(
            url, args.database, loyalty_jobs(card_ids, rng)
        )
        # Only the transfers' retries are counted.
        retries_before = serialization_retries(server_log)
        CLIENT_RETRIES.clear()
        seconds, durations = timed_calls(
            url, args.database, transfer_jobs(wallet_ids, rng)
        )
        retries = (
            serialization_retries(server_log) - retries_before + len(CLIENT_RETRIES)
        )
    with environment(args.database) as env:
        consistent = ledger_consistent(env, wallet_ids)
    transfers_per_second = N / seconds
    baseline_per_second = N / baseline_seconds
    report(
        "wallet_transfer_throughput",
        n=N,
        transfers_per_second=round(transfers_per_second, 1),
        baseline_per_second=round(baseline_per_second, 1),
        ratio=round(transfers_per_second / baseline_per_second, 2),
        p95_ms=round(percentile(durations, 0.95) * 1000, 1),
        read_p95_ms=round(percentile(read_durations, 0.95) * 1000, 1),
        serialization_retries=retries,
        ledger_consistent=consistent,
    )


if __name__ == "__main__":
    main()
