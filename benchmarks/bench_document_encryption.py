"""1,000 documents of 1 to 50 pages, encrypted (fax documents, an encrypted kind of
comms_document_encryption) and in clear, in the same run, in alternating batches so
that disk caches, PostgreSQL and the load of the machine favour neither side.

- End to end (the target): each document received as a fax on a fax line
  (`_receive_fax`: the fax, its document, its message in the customer's conversation,
  the log) then read back from a cold ORM cache, with the fax kind encrypted for one
  batch and switched off for the next. Target: encrypted <= 1.2 x plain.
- Storage alone (for information): ir.attachment.create with its checksum and flush,
  then reading the bytes back, fax documents (encrypted) against partner attachments
  (Odoo's own storage): the cost of AES-GCM and of the file handling by itself.

Ratios are the median of the per-batch ratios (each encrypted batch against the plain
batch next to it): a burst of load from other work spoils one pair, not the whole
sum. The ratios of the sums are reported too.
"""

import io
import random
import statistics
import time

from benchlib import environment, parse_args, report
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

N = 1000
MAX_PAGES = 50
BATCH = 50
TARGET_RATIO = 1.2
LINE_NUMBER = "+33472990013"


def make_pdf(pages):
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    for number in range(1, pages + 1):
        page.drawString(72, 770, "Delivery note DN-%05d" % number)
        page.drawString(72, 750, "Brake pads BP-220, 12 sets; oil filters OF-11")
        page.drawString(500, 40, f"{number}/{pages}")
        page.showPage()
    page.save()
    return output.getvalue()


def documents():
    """N distinct PDFs: a trailing comment makes each unique (none is deduplicated)."""
    by_pages = {pages: make_pdf(pages) for pages in range(1, MAX_PAGES + 1)}
    rng = random.Random(13)
    return [
        by_pages[rng.randint(1, MAX_PAGES)] + b"%% copy %d\n" % index
        for index in range(N)
    ]


def fax_line(env):
    env.company.country_id = env.ref("base.fr")
    provider = env["comms.fax.provider"].create(
        {
            "name": "Bench Sinch",
            "provider_type": "sinch",
            "base_url": "http://127.0.0.1:9",
        }
    )
    return env["comms.fax.line"].create(
        {
            "number": LINE_NUMBER,
            "group_id": env["comms.group"].create({"name": "Bench encryption"}).id,
            "provider_id": provider.id,
            # every document stays: they are all read back
            "document_limit": 100 * N,
        }
    )


def read_back(env, attachments, batch):
    env.invalidate_all()
    for attachment, data in zip(attachments, batch, strict=True):
        assert attachment.raw == data, "a document came back different"


def receive_and_read(env, line, batch, tag):
    start = time.perf_counter()
    faxes = env["comms.fax"]
    for index, data in enumerate(batch):
        faxes |= line._receive_fax(f"+3361{index:07d}", data, f"{tag}-{index}")
    env.flush_all()
    read_back(env, faxes.attachment_id, batch)
    return faxes.attachment_id, time.perf_counter() - start


def store_and_read(env, res_model, batch):
    start = time.perf_counter()
    attachments = env["ir.attachment"].create(
        [
            {
                "name": "document.pdf",
                "raw": data,
                "mimetype": "application/pdf",
                "res_model": res_model,
                "res_id": 0,
            }
            for data in batch
        ]
    )
    env.flush_all()
    read_back(env, attachments, batch)
    return attachments, time.perf_counter() - start


def compare(docs, run):
    """{side: seconds} summed, and the per-batch ratios; run(side, batch, tag)."""
    totals = {"encrypted": 0.0, "plain": 0.0}
    ratios = []
    for offset in range(0, N, BATCH):
        pair = {}
        order = (
            ["encrypted", "plain"] if offset // BATCH % 2 else ["plain", "encrypted"]
        )
        for side in order:
            # Each side gets its own copy of the batch: nothing shared on disk.
            batch = [
                data + side.encode() + b"\n" for data in docs[offset : offset + BATCH]
            ]
            attachments, seconds = run(side, batch, f"{side}-{offset}")
            assert all(attachments.mapped("comms_encryption_key")) == (
                side == "encrypted"
            ), f"{side} documents stored otherwise"
            pair[side] = seconds
            totals[side] += seconds
        ratios.append(pair["encrypted"] / pair["plain"])
    return totals, ratios


def main():
    args = parse_args()
    docs = documents()
    with environment(args.database) as env:
        kind = env.ref("comms_fax.comms_document_kind_fax")
        assert kind.encrypted, "fax documents must be an encrypted kind"
        line = fax_line(env)

        def end_to_end(side, batch, tag):
            kind.encrypted = side == "encrypted"
            return receive_and_read(env, line, batch, tag)

        def storage(side, batch, tag):
            kind.encrypted = True
            res_model = "comms.fax" if side == "encrypted" else "res.partner"
            return store_and_read(env, res_model, batch)

        # Outside the figures: first-use costs (caches, the customers' conversations).
        for side in ("plain", "encrypted"):
            end_to_end(side, docs[:BATCH], f"warm-up-{side}")
            storage(side, [data + b"warm-up" for data in docs[:BATCH]], "warm-up")
        e2e_totals, e2e_ratios = compare(docs, end_to_end)
        storage_totals, storage_ratios = compare(docs, storage)
    ratio = statistics.median(e2e_ratios)
    report(
        "document_encryption",
        n=N,
        megabytes=round(sum(len(d) for d in docs) / 1e6, 1),
        plain_seconds=round(e2e_totals["plain"], 3),
        encrypted_seconds=round(e2e_totals["encrypted"], 3),
        ratio=round(ratio, 3),
        ratio_of_sums=round(e2e_totals["encrypted"] / e2e_totals["plain"], 3),
        storage_plain_seconds=round(storage_totals["plain"], 3),
        storage_encrypted_seconds=round(storage_totals["encrypted"], 3),
        storage_ratio=round(statistics.median(storage_ratios), 3),
        storage_ratio_of_sums=round(
            storage_totals["encrypted"] / storage_totals["plain"], 3
        ),
        target_ratio=TARGET_RATIO,
        within_target=ratio <= TARGET_RATIO,
    )


if __name__ == "__main__":
    main()
