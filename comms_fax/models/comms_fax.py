import logging
import threading
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import FaxApiError, FaxNoAnswerError, FaxUnreachableError, pdf

_logger = logging.getLogger(__name__)

# Order of the states of an outgoing fax: a late status never moves it backwards.
PROGRESS = {"queued": 0, "sending": 1, "sent": 2, "failed": 2}
# A fax handed over this long ago without the provider's id nor any news of it.
STALLED_AFTER = timedelta(hours=1)


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
        "comms.conversation",
        readonly=True,
        index=True,
        ondelete="set null",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="conversation_id.partner_id", store=True, string="Customer"
    )
    user_id = fields.Many2one(
        "res.users", string="Sent by", readonly=True, help="For faxes sent."
    )
    remote_number = fields.Char(
        string="Fax number",
        readonly=True,
        help="The sender's number for a fax received, the recipient's for a fax sent; "
        "empty when the sender withheld it.",
    )
    remote_label = fields.Char(
        string="Fax number shown",
        compute="_compute_remote_label",
        help="The fax number, or “number withheld”.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    done_date = fields.Datetime(
        string="Delivered on", readonly=True, help="Received, or delivered sent."
    )
    provider_ref = fields.Char(
        string="Provider reference", readonly=True, copy=False, index="btree_not_null"
    )
    send_reference = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Our own reference of a fax sent, given to the provider with it and "
        "echoed in its webhooks: it finds the fax again whatever happened to the "
        "transaction that sent it.",
    )
    send_date = fields.Datetime(
        string="Handed over on", readonly=True, help="When sending started."
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

    _check_company_auto = True
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
            if vals.get("direction") == "out" and not vals.get("send_reference"):
                vals["send_reference"] = str(uuid.uuid4())
        return super().create(vals_list)

    @api.depends("remote_number")
    def _compute_remote_label(self):
        for fax in self:
            fax.remote_label = fax.remote_number or self.env._("number withheld")

    # ------------------------------------------------------------------
    # Document
    # ------------------------------------------------------------------

    def _attach_document(self, data, mimetype=None):
        """Store `data` as this fax's PDF (a TIFF is converted) and count its pages."""
        self.ensure_one()
        count = pdf.page_count(data, mimetype)
        if pdf.is_tiff(data, mimetype):
            try:
                data = pdf.tiff_to_pdf(data)
            except pdf.PdfError as error:
                _logger.warning("%s: unreadable TIFF kept as is: %s", self.name, error)
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
        # The storage limit removes documents whoever's delivery triggered it.
        attachments_sudo = self.attachment_id.sudo()
        self.write({"document_purged": True, "attachment_id": False})
        attachments_sudo.unlink()

    # ------------------------------------------------------------------
    # Received faxes
    # ------------------------------------------------------------------

    def _post_inbound(self):
        self.ensure_one()
        # An empty number is a withheld one: the group's Unknown sender receives it.
        message = self.group_id._receive_by_phone(
            "fax",
            self.remote_number or "",
            self.env._(
                "Fax received from %(number)s: %(pages)s.",
                number=self.remote_label,
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

    def _trigger_send(self):
        """Have the queue sent now, in a cron transaction of its own."""
        self.env.ref("comms_fax.ir_cron_comms_fax_send_queued")._trigger()

    @api.model
    def _cron_send_queued(self):
        """Send the queued faxes, one per transaction (see _send_one)."""
        # Odoo's tests run in one transaction that must not be committed.
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        self._fail_stalled()
        faxes = self.search(
            [("direction", "=", "out"), ("state", "=", "queued")], order="id"
        )
        for done, fax in enumerate(faxes, 1):
            fax._send_one(auto_commit=auto_commit)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(faxes) - done)

    def _send_one(self, auto_commit=False):
        """Send this queued fax: the one place every outgoing fax goes through.

        Checks that decide whether a fax may leave (test mode, call restrictions,
        unit reservations) belong here, before the claim.

        1. Claim: the fax, still queued and locked by no other worker, becomes
           "sending", committed. Only queued faxes are sent, so from then on no
           rollback, replayed request or killed worker can send it again.
        2. Hand the document to the provider with the fax's send_reference.
        3. Record the provider's id, or its refusal (the fax fails, ready to
           retry), committed. A worker killed between 2 and 3 leaves the fax
           "sending" without the provider's id: the provider's first webhook
           finds it by its reference (_find_outgoing), or _fail_stalled tells.
           A provider that could not be reached never got the fax: it goes back
           to the queue for the next run. One that got the request but did not
           answer may have accepted it: the fax stays "sending" as in 3.

        `auto_commit` is for the cron only. Returns whether the fax was sent.
        """
        self.ensure_one()
        if not self._claim_for_sending():
            return False
        if auto_commit:
            # The claim outlives whatever happens next: see 1.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        try:
            ref = self._hand_to_provider()
        except FaxUnreachableError as error:
            self._requeue(str(error))
        except FaxNoAnswerError as error:
            self._note_unconfirmed(str(error))
        except FaxApiError as error:
            self._set_failed(str(error))
        else:
            self.write({"provider_ref": ref, "error_message": False})
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return self.state == "sending"

    def _claim_for_sending(self):
        self.flush_recordset(["state"])
        self.env.cr.execute(
            "SELECT id FROM comms_fax WHERE id = %s AND direction = 'out' "
            "AND state = 'queued' FOR UPDATE SKIP LOCKED",
            [self.id],
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["state"])
        if claimed:
            # A retry after the provider was out of reach is not tracked (see
            # _requeue).
            self.with_context(mail_notrack=bool(self.error_message)).write(
                {"state": "sending", "send_date": fields.Datetime.now()}
            )
        return claimed

    def _requeue(self, error):
        """Back to the queue after the provider could not be reached: the cron
        retries at its next run. The note is posted once per distinct error, not
        at every run while the provider stays out of reach."""
        self.ensure_one()
        error = self.env._(
            "%(error)s The fax stays queued and is retried; check the provider's "
            "address under Configuration ▸ Fax providers.",
            error=error,
        )
        repeated = self.error_message == error
        # The note tells; tracking the queued / sending swing of every run would
        # only fill the chatter while the provider stays out of reach.
        self.with_context(mail_notrack=True).write(
            {"state": "queued", "send_date": False, "error_message": error}
        )
        if not repeated:
            self._post_note(
                self.env._(
                    "Fax %(fax)s not sent yet: %(error)s", fax=self.name, error=error
                )
            )

    def _note_unconfirmed(self, error):
        self.ensure_one()
        error = self.env._(
            "%(error)s The fax may have left: it stays “Sending” until the provider "
            "reports on it, and is never sent again automatically.",
            error=error,
        )
        self.error_message = error
        self._post_note(
            self.env._("Fax %(fax)s unconfirmed: %(error)s", fax=self.name, error=error)
        )

    def _hand_to_provider(self):
        provider = self.provider_id
        return provider._get_api().send(
            self.line_id.number,
            self.remote_number,
            self.attachment_id.raw,
            self.attachment_id.name,
            provider._webhook_url(),
            self.send_reference,
        )

    @api.model
    def _fail_stalled(self):
        """Faxes handed over long ago of which the provider never said a word: the
        worker sending them died around the provider call."""
        stalled = self.search(
            [
                ("direction", "=", "out"),
                ("state", "=", "sending"),
                ("provider_ref", "=", False),
                ("send_date", "<", fields.Datetime.now() - STALLED_AFTER),
            ]
        )
        for fax in stalled:
            fax._set_failed(
                self.env._(
                    "Sending was interrupted and %(provider)s never confirmed "
                    "receiving the fax: it may not have left. Check with the "
                    "recipient before retrying.",
                    provider=fax.provider_id.name,
                )
            )

    @api.model
    def _find_outgoing(self, provider, event):
        """The fax sent through `provider` that a status webhook is about: by the
        provider's id, else by our reference for a fax whose id was never
        recorded (its sending transaction died after the provider accepted it)."""
        faxes = self.search(
            [("provider_id", "=", provider.id), ("provider_ref", "=", event.fax_ref)],
            limit=1,
        )
        if faxes or not event.reference:
            return faxes
        faxes = self.search(
            [
                ("provider_id", "=", provider.id),
                ("direction", "=", "out"),
                ("send_reference", "=", event.reference),
                ("provider_ref", "=", False),
            ],
            limit=1,
        )
        faxes.provider_ref = event.fax_ref
        return faxes

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
        self._post_note(
            self.env._(
                "Fax %(fax)s to %(number)s failed: %(error)s",
                fax=self.name,
                number=self.remote_number,
                error=error,
            )
        )

    def _post_note(self, note):
        """Tell the sender on the fax, and the group in the conversation."""
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
        log = self.conversation_id._post_and_log(
            "fax",
            "out",
            {"page_count": self.page_count, "provider_ref": self.provider_ref},
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
                "comms_message_id": log.id,
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
        failed._trigger_send()
        return True

    def action_open_conversation(self):
        self.ensure_one()
        return self.conversation_id.get_formview_action()
