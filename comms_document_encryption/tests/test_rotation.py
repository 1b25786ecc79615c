from odoo.tests import tagged

from ..tools import keyring
from .common import EncryptionCase, make_pdf


@tagged("post_install", "-at_install")
class TestRotation(EncryptionCase):
    def test_rotation_while_documents_are_received(self):
        Attachment = self.env["ir.attachment"]
        documents = [make_pdf(pages, f"Before {pages}") for pages in range(1, 6)]
        before = {self.attach(document): document for document in documents}
        old_label = next(iter(before)).comms_encryption_key
        ring = keyring.rotate_key_file(self.key_file)
        self.assertNotEqual(ring.current_label, old_label)
        self.assertEqual(ring.labels()[:2], [ring.current_label, old_label])
        received = {}
        for round_number in range(1, 4):
            Attachment._cron_comms_encrypt_documents(batch_size=2)
            document = make_pdf(round_number, f"During {round_number}")
            received[self.attach(document)] = document
        pending = Attachment._comms_pending_domain(ring.current_label)
        while Attachment.search_count(pending):
            Attachment._cron_comms_encrypt_documents(batch_size=2)
        for attachment, document in {**before, **received}.items():
            attachment.invalidate_recordset()
            self.assertEqual(attachment.comms_encryption_key, ring.current_label)
            stored = self.stored_bytes(attachment)
            self.assertNoPlaintext(stored, document)
            # one layer of encryption: decrypting the file once gives the PDF
            plain = ring.decrypt(stored, Attachment._comms_aad(attachment.checksum))
            self.assertTrue(plain.startswith(b"%PDF"))
            self.assertEqual(attachment.raw, document)

    def test_documents_under_the_old_key_stay_readable(self):
        document = make_pdf(2)
        attachment = self.attach(document)
        keyring.rotate_key_file(self.key_file)
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, document)

    def test_rotation_from_the_status_screen(self):
        attachment = self.attach(make_pdf(1))
        old_label = attachment.comms_encryption_key
        keys_before = len(keyring.load().labels())
        status = self.env["comms.document.encryption.status"].create({})
        status.action_rotate_key()
        with open(self.key_file) as handle:
            self.assertEqual(len(handle.read().split()), keys_before + 1)
        # as Odoo's cron runner does: batch after batch while some remain
        Attachment = self.env["ir.attachment"]
        pending = Attachment._comms_pending_domain(keyring.load().current_label)
        for _batch in range(50):
            if not Attachment.search_count(pending):
                break
            Attachment._cron_comms_encrypt_documents()
        self.assertNotEqual(attachment.comms_encryption_key, old_label)
        self.assertEqual(attachment.comms_encryption_key, keyring.load().current_label)
