"""The inbox screens at a distributor's scale (100,000 conversations, 1,000,000 logged
messages) against Odoo's project.task with as many tasks and chatter messages, through
the JSON-RPC calls the web client makes, as a member of 3 of the 40 locations (a
follower of 3 of the 40 projects). Query counts are also measured at 10,000
conversations: they must not grow with the data.

The data is generated once (inbox_scale_data.py) into template databases named after
the addons' source, so later runs only copy them."""

import copy
import hashlib
import json
import os
import pathlib
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

import requests
from benchlib import environment, odoo_server, parse_args, report
from inbox_scale_data import LANDMARK, fill, scaffold

import odoo
from odoo.tools import config
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

ROOT = pathlib.Path(__file__).resolve().parent.parent
# COMMS_SCALE_SIZES=1000,5000 for a quick try of the benchmark itself
SIZES = tuple(
    int(size) for size in os.environ.get("COMMS_SCALE_SIZES", "10000,100000").split(",")
)
REPEAT = 5
MEMBER = "member000"
NO_COUNTERPART_MS = 300
TARGET_RATIO = 1.2


def source_key():
    """Templates are rebuilt when the addons (models, views, rules) or the generator
    change: the bench database they are copied from was installed from them."""
    digest = hashlib.sha1()
    for path in sorted(ROOT.glob("comms_*/**/*")) + [
        Path(__file__).parent / "inbox_scale_data.py"
    ]:
        if path.is_file() and path.suffix in (".py", ".xml", ".csv"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def copy_database(source, target):
    db = odoo.sql_db.db_connect("postgres")
    with db.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    odoo.sql_db.close_db(source)
    filestore = pathlib.Path(config.filestore(source))
    if filestore.exists():
        shutil.copytree(filestore, config.filestore(target), dirs_exist_ok=True)


def database_exists(name):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def template(bench_db, size, key):
    """The cached template database holding `size` conversations."""
    name = f"comms_scale_{key}_{size}"
    if database_exists(name):
        return name
    previous = [s for s in SIZES if s < size]
    if not previous:
        drop_stale_templates(key)
    base = template(bench_db, previous[-1], key) if previous else bench_db
    build = f"{name}_building"
    copy_database(base, build)
    with environment(build, commit=True) as env:
        if not previous:
            scaffold(env)
        fill(env, (previous[-1] if previous else 0) + 1, size)
    odoo.sql_db.close_db(build)
    with odoo.sql_db.db_connect(build).cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "VACUUM ANALYZE"
        )  # as years-old rows are: statistics, visibility map
    odoo.sql_db.close_db(build)
    copy_database(build, name)
    drop(build)
    return name


def drop_stale_templates(key):
    """Templates of an older source take gigabytes: only the current ones are kept."""
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'comms\\_scale\\_%%'"
        )
        names = [name for (name,) in cr.fetchall()]
    for name in names:
        if not name.startswith((f"comms_scale_{key}_", "comms_scale_run_")):
            drop(name)


def drop(name):
    odoo.sql_db.close_db(name)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(config.filestore(name), ignore_errors=True)


class WebClient:
    """The JSON-RPC calls Odoo's web client makes, with the server's query count of
    each request read from its access log."""

    def __init__(self, url, database, log_path):
        self.url, self.log_path = url, log_path
        self.session = requests.Session()
        self.rpc(
            "/web/session/authenticate", db=database, login=MEMBER, password=MEMBER
        )
        self.uid = self.rpc("/web/session/get_session_info")["uid"]
        self.context = {"lang": "en_US", "tz": "UTC", "uid": self.uid}

    def fork(self):
        """The same signed-in user on another connection, as a browser opens them."""
        other = copy.copy(self)
        other.session = requests.Session()
        other.session.cookies.update(self.session.cookies)
        return other

    def rpc(self, path, **params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=600,
        )
        body = response.json()
        if "error" in body:
            raise RuntimeError(json.dumps(body["error"])[:2000])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def requests_logged(self):
        with open(self.log_path, encoding="utf-8") as log:
            return [line for line in log if '"POST /' in line]

    def settled(self):
        """The number of requests logged once the log has every line of those made
        so far (a line is written after its response is sent)."""
        count = -1
        while count != (count := len(self.requests_logged())):
            time.sleep(0.2)
        return count

    def measure(self, screen):
        """(median ms over REPEAT runs after a warm-up, queries of one run)."""
        before = self.settled()
        screen()
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            calls = screen()
            times.append((time.perf_counter() - start) * 1000)
        if self.settled() != before + calls * (REPEAT + 1):
            raise RuntimeError("the access log does not match the requests made")
        lines = self.requests_logged()
        queries = sum(int(line.split()[-3]) for line in lines[-calls:])
        return round(statistics.median(times), 1), queries

    # the screens' building blocks

    def action(self, xmlid):
        return self.rpc("/web/action/load", action_id=xmlid)

    def views(self, action, view_types):
        result = self.call(
            action["res_model"],
            "get_views",
            views=[[False, "search"]] + [[False, t] for t in view_types],
            options={"load_filters": True, "action_id": action["id"]},
        )
        fields = result["models"][action["res_model"]]
        fields = fields.get("fields", fields)
        return result["views"], fields

    def specification(self, arch, fields):
        """What the web client reads for a view: its fields outside sub-views, the
        display name of relations."""
        spec = {}
        root = ElementTree.fromstring(arch)

        def walk(node):
            for child in node:
                if child.tag == "field":
                    name = child.get("name")
                    kind = fields.get(name, {}).get("type")
                    if kind in ("many2one", "many2many", "one2many"):
                        spec[name] = {"fields": {"display_name": {}}}
                    elif name in fields:
                        spec[name] = {}
                    continue  # a field's sub-view is read by its own widget
                walk(child)

        walk(root)
        return spec

    def filter_domain(self, search_arch, names):
        """The domain of the search view's filters `names` (ANDed), as the search
        panel builds it."""
        filters = {
            node.get("name"): node.get("domain")
            for node in ElementTree.fromstring(search_arch).iter("filter")
        }
        domain = []
        for name in names:
            domain += safe_eval(
                filters[name] or "[]",
                {
                    "uid": self.uid,
                    "context_today": safe_datetime.date.today,
                    "time": safe_time,
                    "datetime": safe_datetime,
                },
            )
        return domain

    def default_filters(self, action):
        context = safe_eval(action.get("context") or "{}", {"uid": self.uid})
        return [
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        ]


def list_screen(client, xmlid, view_type, filters=None, extra_domain=()):
    """A list or kanban view's first page, with the action's default filters or the
    given ones."""
    action = client.action(xmlid)
    views, fields = client.views(action, [view_type])
    spec = client.specification(views[view_type]["arch"], fields)
    names = client.default_filters(action) if filters is None else filters
    domain = safe_eval(action.get("domain") or "[]", {"uid": client.uid})
    domain += client.filter_domain(views["search"]["arch"], names) + list(extra_domain)
    limit = 40 if view_type == "kanban" else 80
    model = action["res_model"]

    def screen():
        result = client.call(
            model, "web_search_read", domain=domain, specification=spec, limit=limit
        )
        # a full first page costs Odoo one more query: the count of all results
        screen.full_page = len(result["records"]) == limit
        return 1

    return screen


def form_screen(client, xmlid, record_id):
    """Opening a record: its form and the chatter's first page."""
    action = client.action(xmlid)
    views, fields = client.views(action, ["form"])
    spec = client.specification(views["form"]["arch"], fields)
    model = action["res_model"]

    def screen():
        client.call(model, "web_read", [record_id], specification=spec)
        client.rpc(
            "/mail/thread/data",
            thread_model=model,
            thread_id=record_id,
            request_list=[
                "activities",
                "attachments",
                "followers",
                "suggestedRecipients",
            ],
        )
        client.rpc("/mail/thread/messages", thread_model=model, thread_id=record_id)
        return 3

    return screen


def pivot_screen(client, model, rows, cols, measures):
    """A pivot's first load: total, rows, columns and cells, requested at once as the
    pivot model does (Promise.all), each on a connection of its own."""
    groupbys = ([], rows, cols, rows + cols)
    sessions = [client.fork() for _ in groupbys]

    def load(session, groupby):
        return session.call(
            model, "read_group", domain=[], fields=measures, groupby=groupby, lazy=False
        )

    def screen():
        with ThreadPoolExecutor(len(groupbys)) as pool:
            list(pool.map(load, sessions, groupbys))
        return len(groupbys)

    return screen


def screens(client, conversation_id, task_id, customer_id):
    inbox = "comms_shared_inbox.comms_conversation_action"
    tasks = "project.action_view_all_task"
    assigned = [("user_ids", "!=", False)]
    return {
        "dashboard": (
            list_screen(
                client, "comms_shared_inbox.comms_group_action_dashboard", "kanban"
            ),
            list_screen(client, "project.open_view_project_all", "kanban"),
        ),
        "inbox_list": (
            list_screen(client, inbox, "list"),
            list_screen(client, tasks, "list"),
        ),
        "inbox_kanban": (
            list_screen(client, inbox, "kanban"),
            list_screen(client, tasks, "kanban"),
        ),
        "inbox_my": (
            list_screen(client, inbox, "list", ["mine"]),
            list_screen(client, tasks, "list", ["my_tasks"]),
        ),
        "inbox_all_claimed": (
            list_screen(client, inbox, "list", ["claimed"]),
            list_screen(client, tasks, "list", ["open_tasks"], assigned),
        ),
        "inbox_new": (
            list_screen(client, inbox, "list", ["new"]),
            list_screen(client, tasks, "list", ["open_tasks", "unassigned"]),
        ),
        "open_conversation": (
            form_screen(client, inbox, conversation_id),
            form_screen(client, tasks, task_id),
        ),
        "message_analysis": (
            pivot_screen(
                client, "comms.message", ["channel"], ["date:month"], ["__count"]
            ),
            None,
        ),
        "time_to_claim": (
            pivot_screen(
                client, "comms.conversation", ["group_id"], [], ["time_to_claim:avg"]
            ),
            None,
        ),
        "customer": (
            customer_screen(client, "comms.conversation", "comms.message", customer_id),
            customer_screen(client, "project.task", "mail.message", customer_id),
        ),
    }


MAIL_MESSAGE_COLUMNS = {"date": {}, "model": {}, "message_type": {}, "subject": {}}


def customer_screen(client, model, messages_model, customer_id):
    """The customer's smart buttons: the records of one customer, and for the inbox
    also their logged messages."""

    def screen():
        domain = [("partner_id", "=", customer_id)]
        client.call(
            model, "web_search_read", domain=domain, specification={"display_name": {}}
        )
        if messages_model == "mail.message":  # Odoo's own: what the customer wrote
            domain, spec = [("author_id", "=", customer_id)], MAIL_MESSAGE_COLUMNS
        else:
            spec = {"date": {}, "channel": {}, "direction": {}, "subject": {}}
        client.call(
            messages_model,
            "web_search_read",
            domain=domain,
            specification=spec,
            limit=80,
        )
        return 2

    return screen


def landmarks(database):
    with environment(database) as env:
        customer = env["res.partner"].search([("ref", "=", f"scale-{LANDMARK}")])
        conversation = env["comms.conversation"].search(
            [("partner_id", "=", customer.id)], order="id", limit=1
        )
        task = env["project.task"].search([("partner_id", "=", customer.id)], limit=1)
        member = env["res.users"].search([("login", "=", MEMBER)])
        seq_scans = record_rule_plan(env(user=member.id))
        return conversation.id, task.id, customer.id, seq_scans


def record_rule_plan(env):
    """Tables read with a sequential scan of many rows by the member's queries (their
    record rules included): the inbox page and the message log."""
    found = []
    for model, domain in (
        ("comms.conversation", [("state", "in", ("new", "claimed"))]),
        ("comms.message", []),
    ):
        query = env[model]._search(domain)
        env.cr.execute(
            odoo.tools.SQL("EXPLAIN (FORMAT JSON) %s", query.select("count(*)"))
        )
        found += _seq_scans(env.cr.fetchone()[0][0]["Plan"])
    return found


def _seq_scans(node):
    found = []
    if node.get("Node Type") == "Seq Scan" and node.get("Plan Rows", 0) > 1000:
        found.append(node["Relation Name"])
    for child in node.get("Plans", ()):
        found += _seq_scans(child)
    return found


def run_cron(database):
    """The return-to-inbox cron over the claimed conversations (5,000 at 100,000), run
    as Odoo's cron runner does: again at once, in a new transaction, while its
    progress says some remain."""
    with environment(database, commit=True) as env:
        conversations = env["comms.conversation"]
        claimed = conversations.search_count([("state", "=", "claimed")])
        cron = env.ref("comms_shared_inbox.ir_cron_return_to_inbox")
        progress = env["ir.cron.progress"]
        runs, start, before = 0, time.perf_counter(), env.cr.sql_log_count
        while True:
            cron.method_direct_trigger()
            env.cr.commit()
            runs += 1
            last = progress.search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            if not last.remaining:
                break
        seconds = time.perf_counter() - start
        queries = env.cr.sql_log_count - before
        returned = claimed - conversations.search_count([("state", "=", "claimed")])
    return {
        "cron_claimed": claimed,
        "cron_returned": returned,
        "cron_runs": runs,
        "cron_seconds": round(seconds, 2),
        "cron_queries_per_conversation": round(queries / max(returned, 1), 1),
    }


def measure_size(bench_db, size, key):
    database = f"comms_scale_run_{os.getpid()}_{size}"
    copy_database(template(bench_db, size, key), database)
    try:
        conversation_id, task_id, customer_id, seq_scans = landmarks(database)
        log_path = tempfile.mktemp(suffix=".log")
        results = {}
        with odoo_server(config.rcfile, database, access_log=log_path) as url:
            client = WebClient(url, database, log_path)
            for name, (screen, baseline) in screens(
                client, conversation_id, task_id, customer_id
            ).items():
                results[name] = client.measure(screen) + (
                    getattr(screen, "full_page", None),
                )
                if baseline:
                    results[name + "_baseline"] = client.measure(baseline) + (None,)
        cron = run_cron(database) if size == SIZES[-1] else None
        return results, seq_scans, cron
    finally:
        drop(database)


def main():
    args = parse_args()
    key = source_key()
    small, _, _ = measure_size(args.database, SIZES[0], key)
    large, seq_scans, cron = measure_size(args.database, SIZES[1], key)
    figures, ratios, over_bar, growing = {}, {}, [], []
    for name, (ms, queries, full_page) in large.items():
        if name.endswith("_baseline"):
            continue
        small_queries, small_full_page = small[name][1:]
        figures[f"{name}_ms"] = ms
        figures[f"{name}_queries"] = queries
        figures[f"{name}_queries_at_10000"] = small_queries
        # Odoo's count of a full first page is the only query allowed to appear
        count_of_full_page = int(bool(full_page and not small_full_page))
        if queries != small_queries + count_of_full_page:
            growing.append(name)
        if name + "_baseline" in large:
            base_ms, base_queries, _full_page = large[name + "_baseline"]
            figures[f"{name}_baseline_ms"] = base_ms
            figures[f"{name}_baseline_queries"] = base_queries
            ratios[name] = round(ms / base_ms, 3)
        elif ms > NO_COUNTERPART_MS:
            over_bar.append(name)
    worst = max(ratios, key=ratios.get)
    report(
        "inbox_views_at_scale",
        conversations=SIZES[1],
        messages=SIZES[1] * 10,
        **figures,
        worst_ratio=ratios[worst],
        worst_screen=worst,
        screens_over_300_ms=over_bar,
        queries_growing_with_data=growing,
        seq_scans_with_member_rules=seq_scans,
        **cron,
        within_target=ratios[worst] <= TARGET_RATIO
        and not over_bar
        and not growing
        and not seq_scans,
    )


if __name__ == "__main__":
    main()
