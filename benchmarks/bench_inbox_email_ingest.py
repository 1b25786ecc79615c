"""2,000 realistic emails through Odoo's mail gateway to a shared-inbox group alias,
and the same emails to a project's alias (Odoo's own equivalent: email → task)."""

import base64
import random
import time
from email.message import EmailMessage

from benchlib import environment, parse_args, report

N = 2000
WARMUP = 20
WINDOW = 100  # messages averaged for the per-message query counts

SUBJECTS = [
    "Order {n}: delivery date?",
    "Invoice {n} question",
    "Quote request {n}",
    "Re: PO-{n}",
    "Missing items in shipment {n}",
    "Price list {n}",
]
PARAGRAPH = (
    "Hello, we placed order {n} last week and would like to know when it ships. "
    "Our warehouse is closed on Friday afternoon, so please plan the delivery "
    "for Thursday if you can. Best regards,\n"
)
PDF = base64.b64decode(
    b"JVBERi0xLjQKMSAwIG9iago8PC9UeXBlL0NhdGFsb2cvUGFnZXMgMiAwIFI+PgplbmRvYmoKMiAwIG9i"
    b"ago8PC9UeXBlL1BhZ2VzL0tpZHNbXS9Db3VudCAwPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAg"
    b"Uj4+CiUlRU9GCg=="
)


def build_email(n, to):
    rng = random.Random(n)
    message = EmailMessage()
    message["From"] = f"Customer {n} <customer{n}@client{n % 97}.example.com>"
    message["To"] = to
    message["Subject"] = rng.choice(SUBJECTS).format(n=n)
    message["Message-ID"] = f"<bench-{n}-{to.split('@')[0]}@client.example.com>"
    message["Date"] = "Sun, 22 Nov 2026 09:00:00 +0000"
    text = PARAGRAPH.format(n=n) * rng.randint(1, 4)
    message.set_content(text)
    message.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html")
    if n % 5 == 0:
        message.add_attachment(
            PDF * 40, maintype="application", subtype="pdf", filename=f"order-{n}.pdf"
        )
    return message.as_bytes()


def ingest(env, messages):
    """Feed messages through the gateway; returns (seconds, [queries per message])."""
    cr = env.cr
    gateway = env["mail.thread"]
    per_message = []
    start = time.perf_counter()
    for raw in messages:
        before = cr.sql_log_count
        gateway.message_process(None, raw)
        env.flush_all()
        per_message.append(cr.sql_log_count - before)
    return time.perf_counter() - start, per_message


def setup(env):
    domain = env["mail.alias.domain"].search([], limit=1) or env[
        "mail.alias.domain"
    ].create({"name": "bench.example.com"})
    env.company.alias_domain_id = domain
    group = env["comms.group"].create(
        {"name": "Bench inbox", "alias_name": "bench-inbox", "user_ids": [(4, env.uid)]}
    )
    project = env["project.project"].create(
        {
            "name": "Bench project",
            "alias_name": "bench-tasks",
            "alias_contact": "everyone",
        }
    )
    return group.alias_email, project.alias_email


def main():
    args = parse_args()
    with environment(args.database) as env:
        inbox, tasks = setup(env)
        ingest(env, [build_email(-i, inbox) for i in range(1, WARMUP + 1)])
        ingest(env, [build_email(-i, tasks) for i in range(1, WARMUP + 1)])
        seconds, queries = ingest(env, [build_email(n, inbox) for n in range(N)])
        base_seconds, _base_queries = ingest(
            env, [build_email(n, tasks) for n in range(N)]
        )
        assert env["comms.conversation"].search_count([]) >= N
        tasks_made = env["project.task"].search_count(
            [("project_id.alias_name", "=", "bench-tasks")]
        )
        assert tasks_made == N + WARMUP, tasks_made
    at_100 = sum(queries[100 : 100 + WINDOW]) / WINDOW
    at_end = sum(queries[-WINDOW:]) / WINDOW
    report(
        "inbox_email_ingest",
        n=N,
        ms_per_msg=round(seconds * 1000 / N, 2),
        baseline_ms_per_msg=round(base_seconds * 1000 / N, 2),
        ratio=round(seconds / base_seconds, 3),
        queries_per_msg=round(sum(queries) / N, 1),
        queries_per_msg_at_100=round(at_100, 1),
        queries_per_msg_at_2000=round(at_end, 1),
    )


if __name__ == "__main__":
    main()
