from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import keyring


class CommsDocumentEncryptionStatus(models.TransientModel):
    """What administrators need to answer "is it encrypted?": counters per key and
    per kind, and the two actions: encrypt now, rotate the key."""

    _name = "comms.document.encryption.status"
    _description = "Document Encryption Status"

    key_source = fields.Char(compute="_compute_status", string="Keys From")
    current_key = fields.Char(compute="_compute_status")
    key_problem = fields.Char(compute="_compute_status")
    encrypted_count = fields.Integer(compute="_compute_status", string="Encrypted")
    clear_count = fields.Integer(compute="_compute_status", string="Still in Clear")
    pending_count = fields.Integer(
        compute="_compute_status",
        string="Waiting for the Cron",
        help="Documents in clear, under an older key, or encrypted though their kind "
        "no longer is.",
    )
    key_summary = fields.Html(compute="_compute_status", string="Documents per Key")
    kind_ids = fields.Many2many(
        "comms.document.kind", compute="_compute_status", string="Kinds"
    )

    def _compute_status(self):
        # sudo: counters over every company's documents, for administrators only
        attachments = self.env["ir.attachment"].sudo()
        kinds = self.env["comms.document.kind"].search([])
        try:
            ring = keyring.load()
            source, current, problem = ring.source, ring.current_label, False
        except keyring.KeyringError as error:
            ring, source, current, problem = None, False, False, str(error)
        per_key = attachments._read_group(
            [
                ("comms_encryption_key", "!=", False),
                "|",
                ("res_field", "=", False),
                ("res_field", "!=", False),
            ],
            ["comms_encryption_key"],
            ["__count"],
        )
        clear = attachments.search_count(
            attachments._comms_stored_domain(attachments._comms_encrypted_models())
            + [("comms_encryption_key", "=", False)]
        )
        pending = (
            attachments.search_count(attachments._comms_pending_domain(current))
            if current
            else 0
        )
        for status in self:
            status.key_source = source
            status.current_key = current
            status.key_problem = problem
            status.encrypted_count = sum(count for _key, count in per_key)
            status.clear_count = clear
            status.pending_count = pending
            status.key_summary = self._key_summary(per_key, ring)
            status.kind_ids = kinds

    def _key_summary(self, per_key, ring):
        known = ring.labels() if ring else []
        rows = Markup("").join(
            Markup("<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>")
            % (label, count, self._key_state(label, ring, known))
            for label, count in per_key
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
            "<th></th></tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Key"), self.env._("Documents"), rows)

    def _key_state(self, label, ring, known):
        if ring and label == ring.current_label:
            return self.env._("current")
        if label in known:
            return self.env._("older key, re-encrypted by the cron")
        return self.env._("NOT CONFIGURED: these documents cannot be read")

    def action_encrypt_now(self):
        self.env.ref(
            "comms_document_encryption.ir_cron_comms_document_encrypt"
        )._trigger()
        return self._reopen()

    def action_rotate_key(self):
        """A new current key first in the key file; the cron re-encrypts."""
        try:
            ring = keyring.load()
        except keyring.KeyringError:
            ring = None
        if not ring or not ring.path:
            raise UserError(
                self.env._(
                    "The keys come from comms_encryption_key in the configuration or "
                    "the environment: rotate them there (put a new key first, keep the "
                    "old ones after it) and restart the server."
                )
            )
        keyring.rotate_key_file(ring.path)
        return self.action_encrypt_now()

    def action_refresh(self):
        return self._reopen()

    @api.model
    def _action_open(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Document Encryption"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "inline",
            "res_id": self.create({}).id,
        }

    def _reopen(self):
        return self._action_open()
