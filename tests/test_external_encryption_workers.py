"""Two cron workers encrypting the same backlog at once, each in its own transaction
on the database setup/test installed: `FOR UPDATE SKIP LOCKED` must hand each document
to one worker only, and every document must end encrypted once, readable."""

import os
import threading

import odoo
from odoo import SUPERUSER_ID, api

DOCUMENTS = 12


def registry():
    # pytest-odoo has read Odoo's configuration (--odoo-config)
    return odoo.modules.registry.Registry(os.environ["COMMS_TEST_DB"])


def pdf(number):
    body = b"% fax " + str(number).encode() + b"\n" + os.urandom(2048)
    return b"%PDF-1.4\n" + body + b"\n%%EOF"


def test_two_workers_encrypt_each_document_once():
    reg = registry()
    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        kind = env.ref("comms_fax.comms_document_kind_fax")
        kind.encrypted = False  # the backlog: fax documents stored in clear
        backlog = env["ir.attachment"].create(
            [
                {
                    "name": f"backlog-{number}.pdf",
                    "raw": pdf(number),
                    "res_model": "comms.fax",
                    "res_id": 0,
                }
                for number in range(DOCUMENTS)
            ]
        )
        contents = {attachment.id: attachment.raw for attachment in backlog}
        kind.encrypted = True
    locked, done = threading.Event(), {}

    def worker(name, batch_size, wait_for=None):
        with reg.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if wait_for is None:  # the first worker keeps its batch locked a while
                env["ir.attachment"]._cron_comms_encrypt_documents(batch_size)
                done[name] = _encrypted(env, contents)
                locked.set()
                second.join(60)  # commits only once the other worker has finished
            else:
                wait_for.wait()
                env["ir.attachment"]._cron_comms_encrypt_documents(batch_size)
                done[name] = _encrypted(env, contents)

    second = threading.Thread(target=worker, args=("second", DOCUMENTS, locked))
    first = threading.Thread(target=worker, args=("first", DOCUMENTS // 2))
    first.start()
    second.start()
    first.join(120)
    assert not (first.is_alive() or second.is_alive()), "a worker waited for a lock"

    # each worker stored half the backlog, and none a document of the other's
    assert len(done["first"]) == len(done["second"]) == DOCUMENTS // 2
    assert done["first"] | done["second"] == set(contents)
    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for attachment in env["ir.attachment"].browse(list(contents)):
            assert attachment.comms_encryption_key
            assert attachment.raw == contents[attachment.id]  # encrypted once
            with open(attachment._full_path(attachment.store_fname), "rb") as stored:
                assert b"%PDF" not in stored.read()
        env["ir.attachment"].browse(list(contents)).unlink()


def _encrypted(env, contents):
    """The documents this worker's transaction stored encrypted."""
    env.cr.execute(
        """SELECT id FROM ir_attachment
            WHERE id IN %s AND comms_encryption_key IS NOT NULL""",
        [tuple(contents)],
    )
    return {row[0] for row in env.cr.fetchall()}
