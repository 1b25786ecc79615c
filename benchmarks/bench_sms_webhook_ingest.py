"""Inbound texts posted as Twilio does, over HTTP on loopback to a running server."""

import os
import statistics
import tempfile
import time

import requests
from benchlib import access_log_figures, environment, odoo_server, parse_args, report

N = 500
SENDERS = 200  # customers texting more than once, as they do
TOKEN = "e" * 32
NUMBER = "+33472009999"
PATH = "/comms/sms/twilio/inbound"


def main():
    args = parse_args()
    from odoo.addons.comms_shared_inbox.controllers.sms_webhook import twilio_signature

    with environment(args.database, commit=True) as env:
        env.company.sudo().sms_twilio_auth_token = TOKEN
        group = env["comms.group"].create({"name": "Bench SMS", "sms_number": NUMBER})
        group_id = group.id
    log_path = os.path.join(tempfile.mkdtemp(), "access.log")
    durations = []
    with odoo_server(args.config, args.database, access_log=log_path) as url:
        session = requests.Session()
        for n in range(N):
            params = {
                "MessageSid": f"SMbench{n:08d}",
                "From": f"+336{10000000 + n % SENDERS}",
                "To": NUMBER,
                "Body": f"Bonjour, où en est ma commande {n} ?",
                "NumMedia": "0",
            }
            headers = {
                "X-Twilio-Signature": twilio_signature(TOKEN, url + PATH, params)
            }
            start = time.perf_counter()
            response = session.post(
                url + PATH, data=params, headers=headers, timeout=30
            )
            durations.append(time.perf_counter() - start)
            response.raise_for_status()
    figures = access_log_figures(log_path, PATH)
    with environment(args.database, commit=True) as env:
        logged = env["comms.message"].search_count([("group_id", "=", group_id)])
        env["comms.group"].browse(group_id).unlink()
    assert logged == N, f"{logged} messages logged for {N} posted"
    report(
        "sms_webhook_ingest",
        n=N,
        ms_per_msg=round(statistics.mean(durations) * 1000, 2),
        p95_ms=round(sorted(durations)[int(0.95 * N)] * 1000, 2),
        queries_per_msg=round(statistics.mean(q for q, _s, _o in figures), 1),
        queries_per_msg_first_100=round(
            statistics.mean(q for q, _s, _o in figures[:100]), 1
        ),
        queries_per_msg_last_100=round(
            statistics.mean(q for q, _s, _o in figures[-100:]), 1
        ),
    )


if __name__ == "__main__":
    main()
