import itertools
import logging
import os
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import Stream

from ..tools import keyring

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200


class IrAttachment(models.Model):
    """Documents of the declared kinds are written encrypted (AES-256-GCM) to the
    filestore, or to the database with the `db` storage, and decrypted on reading.

    An encrypted file is named after the SHA-1 of the plain content, as Odoo names
    files, followed by the id of its key: identical documents still share one file,
    and a re-encryption writes a new file the filestore garbage collector removes
    when the transaction that replaced it has committed."""

    _inherit = "ir.attachment"

    comms_encryption_key = fields.Char(
        string="Encryption Key",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Id of the key the stored document is encrypted with; empty when it "
        "is stored in clear.",
    )

    # Which documents are encrypted

    @api.model
    def _comms_encrypted_models(self):
        return self.env["comms.document.kind"]._encrypted_models()

    def _comms_encryption_wanted(self):
        """Whether this attachment's content is to be stored encrypted. A create
        decides per batch of values (context flag), a write per attachment."""
        flag = self.env.context.get("comms_encrypt")
        if flag is not None:
            return flag
        return (
            len(self) == 1
            and self.type == "binary"
            and self.res_model in self._comms_encrypted_models()
        )

    @api.model
    def _comms_stored_domain(self, res_models):
        """Binary attachments of `res_models` with stored content, field ones too."""
        return [
            ("res_model", "in", list(res_models)),
            ("type", "=", "binary"),
            ("file_size", ">", 0),
            "|",
            ("res_field", "=", False),
            ("res_field", "!=", False),
        ]

    @api.model
    def _comms_pending_domain(self, current_label):
        """Documents to (re-)store: in scope but in clear or under an older key, or
        encrypted though their kind is no longer encrypted. Documents under a key
        that is not configured wait for it, listed on the status screen: they must
        not hold back the others, batch after batch."""
        in_scope = self._comms_encrypted_models()
        try:
            readable = keyring.load().labels()
        except keyring.KeyringError:
            readable = []
        return [
            "|",
            ("res_field", "=", False),
            ("res_field", "!=", False),
            ("type", "=", "binary"),
            ("file_size", ">", 0),
            "|",
            ("comms_encryption_key", "=", False),
            ("comms_encryption_key", "in", readable),
            "|",
            "&",
            ("res_model", "in", list(in_scope)),
            "|",
            ("comms_encryption_key", "=", False),
            ("comms_encryption_key", "!=", current_label),
            "&",
            ("res_model", "not in", list(in_scope)),
            ("comms_encryption_key", "!=", False),
        ]

    # Keys

    @api.model
    def _comms_keyring(self, create=False):
        """The configured keys; with `create`, a first key file is made when none is
        configured (first start: no document can be encrypted yet)."""
        try:
            return keyring.load()
        except keyring.KeyringError:
            if not create or os.path.exists(keyring.key_file_path()):
                raise
            path = keyring.create_key_file()
            _logger.info("Document encryption: created the key file %s", path)
            return keyring.load()

    @api.model
    def _comms_check_keys(self):
        """Refuse to serve a database whose encrypted documents no configured key
        opens, rather than fail on each of them later."""
        self.env.cr.execute(
            "SELECT DISTINCT comms_encryption_key FROM ir_attachment"
            " WHERE comms_encryption_key IS NOT NULL"
        )
        used = {label for (label,) in self.env.cr.fetchall()}
        if not used:
            return
        try:
            missing = used - set(keyring.load().labels())
            problem = missing and self.env._(
                "no configured key has the id(s) %(ids)s",
                ids=", ".join(sorted(missing)),
            )
        except keyring.KeyringError as error:
            problem = str(error)
        if problem:
            message = self.env._(
                "Database %(db)s holds encrypted documents but they cannot be read: "
                "%(problem)s. Configure the key file (comms_encryption_key_file) or "
                "comms_encryption_key as described in comms_document_encryption's "
                "readme.",
                db=self.env.cr.dbname,
                problem=problem,
            )
            _logger.error("%s", message)
            raise keyring.KeyringError(message)

    def _register_hook(self):
        super()._register_hook()
        self._comms_check_keys()

    # Writing

    @api.model_create_multi
    def create(self, vals_list):
        in_scope = self._comms_encrypted_models()
        if "comms_encrypt" in self.env.context or not in_scope:
            return super().create(vals_list)
        wanted = [
            vals.get("res_model") in in_scope and vals.get("type", "binary") == "binary"
            for vals in vals_list
        ]
        attachments = self.browse()
        index = 0
        for flag, group in itertools.groupby(wanted):
            size = len(list(group))
            attachments |= super(
                IrAttachment, self.with_context(comms_encrypt=flag)
            ).create(vals_list[index : index + size])
            index += size
        return attachments.with_env(self.env)

    def write(self, vals):
        result = super().write(vals)
        if "res_model" in vals and not {"raw", "datas"} & vals.keys():
            self.filtered(
                lambda a: a.file_size
                and bool(a.comms_encryption_key) != a._comms_encryption_wanted()
            )._comms_restore()
        return result

    def _set_attachment_data(self, asbytes):
        if "comms_encrypt" in self.env.context:
            return super()._set_attachment_data(asbytes)
        for attachment in self:
            flag = attachment._comms_encryption_wanted()
            super(
                IrAttachment, attachment.with_context(comms_encrypt=flag)
            )._set_attachment_data(asbytes)

    def _comms_restore(self):
        """Store each document again, encrypted with the current key or in clear as
        its kind says now."""
        self._set_attachment_data(lambda attachment: attachment.raw)

    def _get_datas_related_values(self, data, mimetype):
        encrypt = bool(data) and self._comms_encryption_wanted()
        values = super(
            IrAttachment, self.with_context(comms_encrypt=encrypt)
        )._get_datas_related_values(data, mimetype)
        if not encrypt:
            return {**values, "comms_encryption_key": False}
        # The text index would keep the document readable in PostgreSQL.
        values["index_content"] = False
        if values["store_fname"]:
            label = values["store_fname"].rsplit("-", 1)[1]
        else:
            ring = self._comms_keyring(create=True)
            values["db_datas"] = ring.encrypt(data, self._comms_aad(values["checksum"]))
            label = ring.current_label
        values["comms_encryption_key"] = label
        return values

    @api.model
    def _comms_aad(self, checksum):
        # Binds the ciphertext to the document it stands for: a file renamed or
        # copied over another one fails authentication.
        return f"comms_document_encryption:{checksum}".encode()

    @api.model
    def _file_write(self, bin_value, checksum):
        if not self.env.context.get("comms_encrypt"):
            return super()._file_write(bin_value, checksum)
        ring = self._comms_keyring(create=True)
        fname = f"{checksum[:2]}/{checksum}-{ring.current_label}"
        full_path = self._full_path(fname)
        directory = os.path.dirname(full_path)
        if not os.path.isdir(directory):
            os.makedirs(directory, exist_ok=True)
        blob = ring.encrypt(bin_value, self._comms_aad(checksum))
        try:
            # O_EXCL: two transactions storing the same document never mix their
            # bytes (each file has its own nonce); the second one shares the first's.
            handle = open(full_path, "xb")
        except FileExistsError:
            return self._comms_share_file(fname, checksum, bin_value, blob)
        with handle:
            handle.write(blob)
        self._mark_for_gc(fname)
        return fname

    @api.model
    def _comms_share_file(self, fname, checksum, bin_value, blob):
        """The same document under the same key is stored already: share its file,
        as Odoo does, unless it is damaged (then replace it)."""
        try:
            same = self._comms_decrypt_file(fname, checksum) == bin_value
        except keyring.DecryptionError as error:
            _logger.error(
                "Document encryption: %s was damaged (%s), written again", fname, error
            )
            full_path = self._full_path(fname)
            temporary = f"{full_path}{secrets.token_hex(6)}"
            with open(temporary, "wb") as handle:
                handle.write(blob)
            os.replace(temporary, full_path)
            same = True
        if not same:
            raise UserError(
                self.env._("The attachment collides with an existing file.")
            )
        self._mark_for_gc(fname)
        return fname

    # Reading

    @api.model
    def _comms_decrypt_file(self, fname, checksum):
        with open(self._full_path(fname), "rb") as handle:
            return keyring.load().decrypt(handle.read(), self._comms_aad(checksum))

    def _comms_decrypt(self):
        self.ensure_one()
        try:
            if self.store_fname:
                return self._comms_decrypt_file(self.store_fname, self.checksum)
            return keyring.load().decrypt(
                bytes(self.db_datas or b""), self._comms_aad(self.checksum)
            )
        except (OSError, keyring.KeyringError, keyring.DecryptionError) as error:
            _logger.error(
                "Document encryption: attachment %s (%s) cannot be decrypted: %s",
                self.id,
                self.store_fname or "database",
                error,
            )
            raise UserError(
                self.env._(
                    "The document “%(name)s” cannot be read: its encrypted copy is "
                    "missing, was altered or swapped, or its key is not configured. "
                    "Administrators find the details in the server log.",
                    name=self.name,
                )
            ) from None

    def _compute_raw(self):
        encrypted = self.filtered("comms_encryption_key")
        result = super(IrAttachment, self - encrypted)._compute_raw()
        for attachment in encrypted:
            attachment.raw = attachment._comms_decrypt()
        return result

    def _to_http_stream(self):
        if not self.comms_encryption_key:
            return super()._to_http_stream()
        data = self.raw
        return Stream(
            type="data",
            data=data,
            size=len(data),
            mimetype=self.mimetype,
            download_name=self.name,
            etag=self.checksum,
            public=self.public,
            last_modified=self.write_date,
        )

    # Background (re-)encryption

    @api.model
    def _cron_comms_encrypt_documents(self, batch_size=BATCH_SIZE):
        """Store one batch of pending documents with the current key; the cron
        framework commits it and runs again while some remain."""
        domain = self._comms_pending_domain(
            self._comms_keyring(create=True).current_label
        )
        candidates = self.search(domain, limit=batch_size, order="id")
        if not candidates:
            return
        # Documents being written right now are left for the next batch.
        self.env.cr.execute(
            "SELECT id FROM ir_attachment WHERE id IN %s FOR UPDATE SKIP LOCKED",
            [tuple(candidates.ids)],
        )
        batch = self.browse(row[0] for row in self.env.cr.fetchall())
        done = 0
        for attachment in batch:
            try:
                with self.env.cr.savepoint():
                    attachment._comms_restore()
                done += 1
            except UserError:
                continue  # unreadable: logged by _comms_decrypt, retried next time
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if not batch:
            self.env.ref(
                "comms_document_encryption.ir_cron_comms_document_encrypt"
            )._trigger(fields.Datetime.now() + timedelta(minutes=1))
