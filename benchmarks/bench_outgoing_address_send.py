"""1,000 task messages across 3 projects bound to 3 outgoing addresses (3 SMTP servers
on loopback), sent by Odoo's mail queue, against the same 1,000 messages sent through
one plain ir.mail_server in the same run (Odoo's own sending, no address)."""

import os

from benchlib import Measure, environment, parse_args, report

N = int(os.environ.get("BENCH_N", 1000))
BRANDS = ("parts", "bikes", "tools")


def post_messages(env, tasks, customer):
    """Queues one mail per message; returns them."""
    admin = env.ref("base.user_admin")
    messages = env["mail.message"]
    for n in range(N):
        task = tasks[n % len(tasks)].with_user(admin)
        messages |= task.message_post(
            body=f"Order {n}: it ships Thursday.",
            subject=f"Order {n}",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=customer.ids,
            force_send=False,
        )
    env.flush_all()
    mails = env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
    assert len(mails) == N and set(mails.mapped("state")) == {"outgoing"}
    return mails


def send_queue(env, mails):
    with Measure(env.cr) as measure:
        env["mail.mail"].process_email_queue()
    unsent = mails.exists().filtered(lambda m: m.state != "sent")
    assert not unsent, unsent[:1].failure_reason
    return measure


def main():
    args = parse_args()
    # importable once parse_args() has set the addons path
    from odoo.addons.comms_shared_inbox.tests.fake_smtp import FakeSmtp

    servers = [FakeSmtp(users={f"orders@{b}.example.com": "secret"}) for b in BRANDS]
    baseline_server = FakeSmtp()
    for server in [*servers, baseline_server]:
        server.start()
    try:
        # the queue commits after each mail: this runs in the bench's throwaway database
        with environment(args.database, commit=True) as env:
            env["ir.config_parameter"].set_param("mail.session.batch.size", N)
            env.ref("base.user_admin").email = "admin@bench.example.com"
            customer = env["res.partner"].create(
                {"name": "Garage Martin", "email": "atelier@garage.example.com"}
            )
            env["ir.mail_server"].create(
                {
                    "name": "Company server",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": baseline_server.port,
                    "sequence": 1,
                }
            )
            plain = env["project.project"].create({"name": "No address"})
            plain_task = env["project.task"].create(
                {"name": "Order", "project_id": plain.id}
            )
            baseline = send_queue(env, post_messages(env, plain_task, customer))

            tasks = env["project.task"]
            for brand, server in zip(BRANDS, servers, strict=True):
                project = env["project.project"].create({"name": brand.title()})
                address = env["ir.mail_server"].create(
                    {
                        "name": brand.title(),
                        "comms_is_address": True,
                        "comms_email": f"orders@{brand}.example.com",
                        "smtp_host": "127.0.0.1",
                        "smtp_port": server.port,
                        "smtp_user": f"orders@{brand}.example.com",
                        "smtp_pass": "secret",
                        "comms_project_ids": [(6, 0, project.ids)],
                        "comms_test_state": "ok",
                    }
                )
                project.comms_outgoing_address_id = address
                tasks |= env["project.task"].create(
                    {"name": "Order", "project_id": project.id}
                )
            measure = send_queue(env, post_messages(env, tasks, customer))
    finally:
        for server in [*servers, baseline_server]:
            server.stop()

    def to_customer(server):
        return [
            r for r in server.received if r.rcpt_tos == ["atelier@garage.example.com"]
        ]

    received = [len(to_customer(s)) for s in servers]
    baseline_received = len(to_customer(baseline_server))
    assert sum(received) == N and baseline_received == N, (received, baseline_received)
    assert all(
        r.mail_from == f"orders@{b}.example.com"
        for s, b in zip(servers, BRANDS, strict=True)
        for r in s.received
    )
    report(
        "outgoing_address_send",
        n=N,
        seconds=round(measure.seconds, 3),
        baseline_seconds=round(baseline.seconds, 3),
        ratio=round(measure.seconds / baseline.seconds, 3),
        smtp_connections=sum(s.connections for s in servers),
        baseline_smtp_connections=baseline_server.connections,
        queries_per_mail=round(measure.queries / N, 2),
        baseline_queries_per_mail=round(baseline.queries / N, 2),
    )


if __name__ == "__main__":
    main()
