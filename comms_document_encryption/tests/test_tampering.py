import os
import shutil

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import keyring
from .common import EncryptionCase, make_pdf

LOGGER = "odoo.addons.comms_document_encryption.models.ir_attachment"


@tagged("post_install", "-at_install")
class TestTampering(EncryptionCase):
    def path(self, attachment):
        return attachment._full_path(attachment.store_fname)

    def assertRefused(self, attachment):
        attachment.invalidate_recordset()
        with (
            self.assertLogs(LOGGER, "ERROR") as logs,
            self.assertRaises(UserError) as error,
        ):
            self.fail(f"{len(attachment.raw)} bytes read")
        self.assertIn(attachment.name, str(error.exception))
        self.assertIn(f"attachment {attachment.id}", logs.output[0])
        return logs.output[0]

    def test_flipped_byte(self):
        attachment = self.attach(make_pdf(2))
        path = self.path(attachment)
        with open(path, "r+b") as handle:
            handle.seek(100)
            byte = handle.read(1)
            handle.seek(100)
            handle.write(bytes([byte[0] ^ 0x01]))
        self.assertIn("authentication failed", self.assertRefused(attachment))

    def test_file_swapped_between_two_records(self):
        fax = self.attach(make_pdf(1, "Fax from the bank"), name="fax.pdf")
        letter = self.attach(
            make_pdf(1, "Letter from the tax office"), name="letter.pdf"
        )
        shutil.copyfile(self.path(letter), self.path(fax))
        self.assertIn("authentication failed", self.assertRefused(fax))
        self.assertIn(b"Letter from the tax office", letter.raw)

    def test_wrong_key(self):
        attachment = self.attach(make_pdf(1))
        other_file = os.path.join(self.key_dir.name, "other.key")
        keyring.create_key_file(other_file)
        self.use_key_file(other_file)
        self.assertIn("not known", self.assertRefused(attachment))

    def test_missing_key_file(self):
        attachment = self.attach(make_pdf(1))
        os.unlink(self.key_file)
        keyring.forget()  # as a restarted server
        self.assertIn("key file not found", self.assertRefused(attachment))

    def test_missing_file_is_an_error_not_an_empty_document(self):
        attachment = self.attach(make_pdf(1))
        path = self.path(attachment)
        os.rename(path, f"{path}aside")
        self.addCleanup(os.rename, f"{path}aside", path)
        self.assertRefused(attachment)

    def test_start_refused_without_the_key(self):
        self.attach(make_pdf(1))
        Attachment = self.env["ir.attachment"]
        Attachment._comms_check_keys()  # the right key: the server starts
        self.use_key_file(os.path.join(self.key_dir.name, "missing.key"))
        with self.assertLogs(LOGGER, "ERROR") as logs:
            with self.assertRaises(keyring.KeyringError) as error:
                Attachment._comms_check_keys()
        self.assertIn("holds encrypted documents", str(error.exception))
        self.assertIn("key file not found", logs.output[0])

    def test_start_refused_with_another_key(self):
        attachment = self.attach(make_pdf(1))
        other_file = os.path.join(self.key_dir.name, "other.key")
        keyring.create_key_file(other_file)
        self.use_key_file(other_file)
        with self.assertLogs(LOGGER, "ERROR"):
            with self.assertRaises(keyring.KeyringError) as error:
                self.env["ir.attachment"]._comms_check_keys()
        self.assertIn(attachment.comms_encryption_key, str(error.exception))

    def test_key_never_logged_nor_in_the_database(self):
        with open(self.key_file) as handle:
            key = handle.read().strip()
        self.use_key_file(os.path.join(self.key_dir.name, "missing.key"))
        self.attach(make_pdf(1))  # creates the missing key file (no document yet)
        self.assertEqual(
            os.stat(os.path.join(self.key_dir.name, "missing.key")).st_mode & 0o777,
            0o600,
        )
        self.env.cr.execute(
            "SELECT count(*) FROM ir_config_parameter WHERE value LIKE %s",
            [f"%{key[:20]}%"],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_damaged_shared_file_is_replaced_by_the_next_copy(self):
        document = make_pdf(2)
        first = self.attach(document)
        with open(self.path(first), "r+b") as handle:
            handle.seek(-1, os.SEEK_END)
            last = handle.read(1)[0]
            handle.seek(-1, os.SEEK_END)
            # Flipped, not zeroed: one file in 256 already ends with a zero byte.
            handle.write(bytes([last ^ 0xFF]))
        with self.assertLogs(LOGGER, "ERROR") as logs:
            second = self.attach(document, record=self.other_partner)
        self.assertIn("written again", logs.output[0])
        self.assertEqual(second.store_fname, first.store_fname)
        first.invalidate_recordset()
        self.assertEqual(first.raw, document)

    def test_error_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["comms_document_encryption"], ["fr_FR"]
        )
        attachment = self.attach(make_pdf(1))
        os.unlink(self.key_file)
        keyring.forget()  # as a restarted server
        attachment.invalidate_recordset()
        with self.assertLogs(LOGGER, "ERROR"), self.assertRaises(UserError) as error:
            self.fail(f"{len(attachment.with_context(lang='fr_FR').raw)} bytes read")
        self.assertIn("ne peut pas être lu", str(error.exception))
