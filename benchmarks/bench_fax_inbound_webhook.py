"""200 inbound faxes (1 to 50 pages) posted as Sinch INCOMING_FAX callbacks
(multipart, the PDF in the request) to a running (threaded) Odoo server, 10 at a time,
from 200 different numbers.

Compared with pypdf alone reading the same 200 PDFs (the page count the webhook must
compute). Target: total <= 2 x pypdf alone + PER_FAX_BUDGET_MS per fax, the fixed cost
of one delivery in Odoo whatever its size (see comms_fax/readme/DESCRIPTION.md).
"""

import concurrent.futures
import io
import json
import os
import random
import statistics
import tempfile
import time

import requests
from benchlib import (
    access_log_figures,
    environment,
    odoo_server,
    parse_args,
    percentile,
    report,
)
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

N = 200
CONCURRENCY = 10
MAX_PAGES = 50
TOKEN = "bench-callback-token-0123456789abcdef"
LINE_NUMBER = "+33472990050"
# The fixed cost of one delivery whatever its size, in wall time per fax with 10
# deliveries in flight on a threaded server (2 cores shared with PostgreSQL): HTTP
# request and transaction, customer and conversation, mail.message with its attachment
# in the filestore, message log, tracking and the storage-limit purge.
PER_FAX_BUDGET_MS = 60


def make_pdf(pages):
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    for number in range(1, pages + 1):
        page.setFont("Helvetica", 12)
        page.drawString(72, 770, "Purchase order PO-%05d" % number)
        page.drawString(
            72, 750, "Brake pads BP-220, 12 sets; oil filters OF-11, 30 pcs"
        )
        page.drawString(500, 40, f"{number}/{pages}")
        page.showPage()
    page.save()
    return output.getvalue()


def setup(database):
    with environment(database, commit=True) as env:
        env.company.country_id = env.ref("base.fr")
        previous = env["comms.fax.line"].search([("number", "=", LINE_NUMBER)])
        env["comms.fax"].search([("line_id", "in", previous.ids)]).unlink()
        previous.group_id.unlink()
        group = env["comms.group"].create({"name": "Bench fax"})
        provider = env["comms.fax.provider"].create(
            {
                "name": "Bench Sinch",
                "provider_type": "sinch",
                "base_url": "http://127.0.0.1:9",
                "webhook_token": TOKEN,
            }
        )
        env["comms.fax.line"].create(
            {"number": LINE_NUMBER, "group_id": group.id, "provider_id": provider.id}
        )
        return provider.id, group.id


def deliveries():
    """(fax id, sender, pages, PDF) of each fax; one PDF per page count."""
    documents = {pages: make_pdf(pages) for pages in range(1, MAX_PAGES + 1)}
    rng = random.Random(18)
    faxes = []
    for index in range(N):
        pages = rng.randint(1, MAX_PAGES)
        sender = f"+33612{index:06d}"
        faxes.append((f"01HBENCH{index:018d}", sender, pages, documents[pages]))
    return faxes


def pypdf_only(faxes):
    start = time.perf_counter()
    for _ref, _sender, pages, document in faxes:
        assert len(PdfReader(io.BytesIO(document), strict=False).pages) == pages
    return time.perf_counter() - start


def post(url, fax_ref, sender, document):
    fax = {"id": fax_ref, "direction": "INBOUND", "from": sender, "to": LINE_NUMBER}
    start = time.perf_counter()
    response = requests.post(
        url,
        data={"event": "INCOMING_FAX", "fax": json.dumps(fax)},
        files={"file": ("fax.pdf", document, "application/pdf")},
        timeout=120,
    )
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def check(database, group_id, faxes):
    with environment(database) as env:
        received = env["comms.fax"].search([("group_id", "=", group_id)])
        expected = sum(pages for _ref, _sender, pages, _doc in faxes)
        assert len(received) == N, f"{len(received)} faxes instead of {N}"
        assert sum(received.mapped("page_count")) == expected, "page counts differ"


def main():
    args = parse_args()
    provider_id, group_id = setup(args.database)
    faxes = deliveries()
    pypdf_seconds = pypdf_only(faxes)
    log_path = os.path.join(tempfile.mkdtemp(), "access.log")
    with odoo_server(args.config, args.database, access_log=log_path) as base_url:
        path = f"/comms/fax/sinch/{provider_id}/{TOKEN}"
        url = base_url + path
        with concurrent.futures.ThreadPoolExecutor(CONCURRENCY) as pool:
            # Outside the figures: the server loads the registry on its first request.
            warm_up = f"{base_url}/comms/fax/sinch/{provider_id}/wrong-token"
            list(pool.map(lambda _i: requests.post(warm_up, timeout=120), range(8)))
            start = time.perf_counter()
            latencies = list(
                pool.map(lambda fax: post(url, fax[0], fax[1], fax[3]), faxes)
            )
            total = time.perf_counter() - start
    check(args.database, group_id, faxes)
    figures = access_log_figures(log_path, path)
    pages = sum(fax[2] for fax in faxes)
    target = 2 * pypdf_seconds + N * PER_FAX_BUDGET_MS / 1000
    report(
        "fax_inbound_webhook",
        n=N,
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
        pages=pages,
        pages_per_second=round(pages / total, 1),
        pypdf_only_seconds=round(pypdf_seconds, 3),
        total_seconds=round(total, 3),
        ratio=round(total / pypdf_seconds, 2),
        per_fax_budget_ms=PER_FAX_BUDGET_MS,
        queries_per_fax=round(statistics.mean(q for q, _s, _o in figures), 1),
        server_sql_ms_per_fax=round(
            statistics.mean(s for _q, s, _o in figures) * 1000, 1
        ),
        server_other_ms_per_fax=round(
            statistics.mean(o for _q, _s, o in figures) * 1000, 1
        ),
        target_seconds=round(target, 3),
        within_target=total <= target,
    )


if __name__ == "__main__":
    main()
