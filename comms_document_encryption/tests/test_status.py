from odoo.tests import Form, tagged

from ..tools import keyring
from .common import EncryptionCase, make_pdf


@tagged("post_install", "-at_install")
class TestStatus(EncryptionCase):
    def test_counters(self):
        self.env["ir.attachment"]._cron_comms_encrypt_documents(batch_size=1000)
        status_before = self.env["comms.document.encryption.status"].create({})
        encrypted_before = status_before.encrypted_count
        kind_before = self.kind.encrypted_count
        self.kind.encrypted = False
        in_clear = self.attach(make_pdf(1, "Kept in clear"))
        self.kind.encrypted = True
        self.attach(make_pdf(1, "First"))
        self.attach(make_pdf(2, "Second"))
        status = self.env["comms.document.encryption.status"].create({})
        self.assertEqual(status.encrypted_count, encrypted_before + 2)
        self.assertEqual(status.clear_count, status_before.clear_count + 1)
        self.assertEqual(status.pending_count, status_before.pending_count + 1)
        self.assertIn(status.current_key, status.key_summary)
        self.assertIn("current", status.key_summary)
        self.kind.invalidate_recordset()
        self.assertEqual(
            (self.kind.encrypted_count, self.kind.clear_count), (kind_before + 2, 1)
        )
        self.assertIn(self.kind, status.kind_ids)
        self.env["ir.attachment"]._cron_comms_encrypt_documents()
        self.assertTrue(in_clear.comms_encryption_key)
        self.kind.invalidate_recordset()
        self.assertEqual(
            (self.kind.encrypted_count, self.kind.clear_count), (kind_before + 3, 0)
        )

    def test_status_names_a_missing_key(self):
        self.use_key_file(self.key_file + ".absent")
        status = self.env["comms.document.encryption.status"].create({})
        self.assertIn("key file not found", status.key_problem)
        self.assertFalse(status.current_key)

    def test_status_screen_opens_for_administrators(self):
        self.attach(make_pdf(1, "Shown on the screen"))
        server_action = self.env.ref(
            "comms_document_encryption.comms_document_encryption_status_server_action"
        )
        action = server_action.run()
        status = self.env[action["res_model"]].browse(action["res_id"])
        form = Form(status)
        self.assertGreaterEqual(form.encrypted_count, 1)
        self.assertEqual(form.current_key, keyring.load().current_label)
        self.assertIn(self.kind, form.record.kind_ids)
        menu = self.env.ref("comms_document_encryption.menu_comms_document_encryption")
        self.assertEqual(menu.groups_id, self.env.ref("base.group_system"))
