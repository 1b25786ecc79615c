import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import FaxApiError, pdf

_logger = logging.getLogger(__name__)

# Order of the states of an outgoing fax: a late status never moves it backwards.
PROGRESS = {"queued": 0, "sending": 1, "sent": 2, "failed": 2}


class CommsFax(models.Model):
    """One fax received or sent on a group's fax line."""

    _name = "comms.fax"
    _description = "Fax"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    direction = fields.Selection(
        [("in", "Received"), ("out", "Sent")], required=True, readonly=True
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sending", "Sending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("received", "Received"),
        ],
        required=True,
        default="queued",
        readonly=True,
        tracking=True,
        index=True,
    )
    line_id = fields.Many2one(
        "comms.fax.line", required=True, readonly=True, index=True, ondelete="restrict"
    )
    provider_id = fields.Many2one(
        related="line_id.provider_id", store=True, index=True, string="Provider"
    )
    group_id = fields.Many2one(
        related="line_id.group_id", store=True, index=True, string="Group"
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    conversation_id = fields.Many2one(
        "comms.conversation", readonly=True, index=True, ondelete="set null"
    )
    partner_id = fields.Many2one(
        related="conversation_id.partner_id", store=True, string="Customer"
    )
    user_id = fields.Many2one(
        "res.users", string="Sent by", readonly=True, help="For faxes sent."
    )
    remote_number = fields.Char(
        string="Fax number",
        required=True,
        readonly=True,
        help="The sender's number for a fax received, the recipient's for a fax sent.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    done_date = fields.Datetime(
        string="Delivered on", readonly=True, help="Received, or delivered sent."
    )
    provider_ref = fields.Char(
        string="Provider reference", readonly=True, copy=False, index="btree_not_null"
    )
    page_count = fields.Integer(
        string="Pages", readonly=True, aggregator="sum", help="0 when unknown."
    )
    page_count_unknown = fields.Boolean(
        string="Unknown page count",
        readonly=True,
        help="The document could not be read (damaged or encrypted PDF): it was "
        "stored and delivered as it came, without a page count.",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Document", readonly=True, ondelete="set null"
    )
    document_purged = fields.Boolean(
        string="Document removed",
        readonly=True,
        help="The document was removed by the line's storage limit; the fax and its "
        "log stay.",
    )
    comms_message_id = fields.Many2one(
        "comms.message", string="Logged message", readonly=True, ondelete="set null"
    )
    error_message = fields.Text(string="Error", readonly=True)
    retry_count = fields.Integer(string="Retries", readonly=True)

    _sql_constraints = [
        (
            "provider_ref_unique",
            "UNIQUE(provider_id, provider_ref)",
            "This provider's fax is already recorded.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("comms.fax") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Document
    # ------------------------------------------------------------------

    def _attach_document(self, data, mimetype=None):
        """Store `data` as this fax's PDF (a TIFF is converted) and count its pages."""
        self.ensure_one()
        if pdf.is_tiff(data, mimetype):
            try:
                data = pdf.tiff_to_pdf(data)
            except pdf.PdfError as error:
                _logger.warning("%s: unreadable TIFF kept as is: %s", self.name, error)
        count = pdf.page_count(data)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.pdf",
                "raw": data,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "attachment_id": attachment.id,
                "page_count": count or 0,
                "page_count_unknown": count is None,
            }
        )

    def _pages_label(self):
        self.ensure_one()
        if self.page_count_unknown:
            return self.env._("unknown number of pages")
        return self.env._("%(count)s page(s)", count=self.page_count)

    def _purge_document(self):
        attachments = self.attachment_id
        self.write({"document_purged": True, "attachment_id": False})
        attachments.sudo().unlink()

    # ------------------------------------------------------------------
    # Received faxes
    # ------------------------------------------------------------------

    def _post_inbound(self):
        self.ensure_one()
        message = self.group_id._receive_by_phone(
            "fax",
            self.remote_number,
            self.env._(
                "Fax received from %(number)s: %(pages)s.",
                number=self.remote_number,
                pages=self._pages_label(),
            ),
            self.provider_ref,
            log_values={"page_count": self.page_count},
            attachment_ids=self.attachment_id.ids,
        )
        self.write(
            {
                "comms_message_id": message.id,
                "conversation_id": message.conversation_id.id,
                "done_date": fields.Datetime.now(),
            }
        )
        if self.page_count_unknown:
            self._note_unknown_pages()

    def _note_unknown_pages(self):
        note = self.env._(
            "The page count of fax %(fax)s is unknown: its PDF is damaged or "
            "encrypted. It is attached as it was received.",
            fax=self.name,
        )
        self.conversation_id.message_post(body=note, subtype_xmlid="mail.mt_note")
        self.message_post(body=note, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Sent faxes: queued -> sending -> sent / failed
    # ------------------------------------------------------------------

    def _send(self):
        """Hand the queued faxes to their provider. A provider that refuses, is down
        or too slow leaves the fax failed with the reason, ready to retry."""
        for fax in self.filtered(lambda f: f.direction == "out"):
            if fax.state != "queued":
                continue
            provider = fax.provider_id.sudo()
            try:
                ref = provider._get_api().send(
                    fax.line_id.number,
                    fax.remote_number,
                    fax.attachment_id.sudo().raw,
                    fax.attachment_id.name,
                    provider._webhook_url(),
                )
            except FaxApiError as error:
                fax._set_failed(str(error))
                continue
            fax.write({"state": "sending", "provider_ref": ref, "error_message": False})

    def _apply_status(self, state, error=None):
        """A status reported by the provider for these outgoing faxes."""
        for fax in self.filtered(lambda f: f.direction == "out"):
            if fax.state == state or PROGRESS[state] < PROGRESS[fax.state]:
                continue
            if fax.state == "sent":
                continue
            if state == "sent":
                fax._set_sent()
            elif state == "failed":
                fax._set_failed(error or self.env._("The provider gave no reason."))
            else:
                fax.state = state

    def _set_sent(self):
        self.ensure_one()
        self.write({"state": "sent", "error_message": False})
        self._post_outbound()
        self.line_id._enforce_document_limit()

    def _set_failed(self, error):
        self.ensure_one()
        self.write({"state": "failed", "error_message": error})
        note = self.env._(
            "Fax %(fax)s to %(number)s failed: %(error)s",
            fax=self.name,
            number=self.remote_number,
            error=error,
        )
        self.message_post(
            body=note,
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )
        if self.conversation_id:
            self.conversation_id.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _post_outbound(self):
        self.ensure_one()
        author = self.user_id.partner_id or self.env.user.partner_id
        message = self.conversation_id.with_context(
            comms_channel="fax",
            comms_direction="out",
            comms_message_values={
                "page_count": self.page_count,
                "provider_ref": self.provider_ref,
            },
        ).message_post(
            body=self.env._(
                "Fax sent to %(number)s: %(pages)s.",
                number=self.remote_number,
                pages=self._pages_label(),
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=self.attachment_id.ids,
        )
        self.write(
            {
                "done_date": fields.Datetime.now(),
                "comms_message_id": self.env["comms.message"]
                .search([("mail_message_id", "=", message.id)], limit=1)
                .id,
            }
        )

    def action_retry(self):
        failed = self.filtered(lambda f: f.direction == "out" and f.state == "failed")
        if failed != self:
            raise UserError(self.env._("Only a fax sent that failed can be retried."))
        if failed.filtered("document_purged"):
            raise UserError(self.env._("The document of this fax was removed."))
        for fax in failed:
            fax.write(
                {
                    "state": "queued",
                    "provider_ref": False,
                    "error_message": False,
                    "retry_count": fax.retry_count + 1,
                }
            )
        failed._send()
        return True

    @api.model
    def _cron_send_queued(self):
        self.search([("direction", "=", "out"), ("state", "=", "queued")])._send()

    def action_open_conversation(self):
        self.ensure_one()
        return self.conversation_id.get_formview_action()
