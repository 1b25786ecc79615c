import base64
import json
import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.tools import email_normalize, html2plaintext

_logger = logging.getLogger(__name__)

# The report-type of a multipart/report (RFC 6522) and what it is to a user.
REPORT_KINDS = {
    "delivery-status": "delivery_report",
    "disposition-notification": "read_receipt",
    "feedback-report": "feedback_report",
}


class CommsInboundError(models.Model):
    """Something that arrived and reached no conversation: a webhook payload that
    could not be processed, or an email to a group that Odoo does not post (bounce,
    delivery or read report, suspected loop). Kept with its original so that
    nothing delivered is lost."""

    _name = "comms.inbound.error"
    _description = "Unprocessed inbound message"
    _order = "id desc"
    _rec_name = "source"

    source = fields.Char(required=True, readonly=True, help="e.g. twilio_sms, email")
    kind = fields.Selection(
        [
            ("error", "Processing error"),
            ("bounce", "Bounce"),
            ("delivery_report", "Delivery report"),
            ("read_receipt", "Read receipt"),
            ("feedback_report", "Spam report"),
            ("unrouted", "Not delivered"),
        ],
        default="error",
        required=True,
        readonly=True,
        index=True,
    )
    reference = fields.Char(
        readonly=True, help="The provider's id, or the email's Message-Id."
    )
    summary = fields.Char(readonly=True)
    payload = fields.Text(readonly=True)
    error = fields.Text(
        string="Details", readonly=True, help="The error, or the report's text."
    )
    attempt_count = fields.Integer(
        string="Deliveries",
        default=1,
        readonly=True,
        help="How many times the provider delivered it.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    group_id = fields.Many2one(
        "comms.group", readonly=True, index="btree_not_null", ondelete="set null"
    )
    message_log_id = fields.Many2one(
        "comms.message",
        string="About the message",
        readonly=True,
        ondelete="set null",
        help="The outgoing message this report is about.",
    )
    conversation_id = fields.Many2one(
        related="message_log_id.conversation_id", string="Conversation"
    )
    original = fields.Binary(string="Original message", attachment=True, readonly=True)
    original_filename = fields.Char(readonly=True)

    def init(self):
        # Providers retry a failed delivery and mail servers repeat a report: one
        # row per source, reference and group.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS comms_inbound_error_source_reference "
            "ON comms_inbound_error (source, reference, COALESCE(group_id, 0)) "
            "WHERE reference IS NOT NULL"
        )

    @api.model
    def _store(self, source, payload, error, reference=None):
        """Store a webhook payload in a transaction of its own (the caller's is about
        to roll back). A retried delivery counts on the row already kept."""
        with self.pool.cursor() as cr:
            errors = self.with_env(self.env(cr=cr)).sudo()
            kept = reference and errors.search(
                [("source", "=", source), ("reference", "=", reference)], limit=1
            )
            if kept:
                kept.write({"attempt_count": kept.attempt_count + 1, "error": error})
            else:
                try:
                    with cr.savepoint():
                        errors.create(
                            {
                                "source": source,
                                "reference": reference,
                                "payload": json.dumps(payload, indent=2, default=str),
                                "error": error,
                            }
                        )
                except IntegrityError:
                    _logger.info(
                        "%s %s: a simultaneous retry kept it", source, reference
                    )
        _logger.warning("Unprocessed %s payload %s: %s", source, reference, error)

    # ------------------------------------------------------------------
    # Email that reaches no conversation
    # ------------------------------------------------------------------

    @api.model
    def _record_report(self, email_message, msg_dict):
        """Keep a bounce, delivery report or read receipt that concerns the shared
        inbox, and mark a bounced outgoing message in its conversation."""
        logged = self.env["comms.message"]
        if msg_dict.get("bounced_message"):
            logged = logged.search(
                [("mail_message_id", "in", msg_dict["bounced_message"].ids)], limit=1
            )
        groups = logged.group_id or self.env["comms.group"]._find_by_recipients(
            msg_dict
        )
        if not groups:
            return self.browse()
        kind = self._report_kind(email_message)
        if kind == "bounce" and logged:
            logged.bounced = True
        return self._record_email(email_message, msg_dict, kind, groups, logged)

    @api.model
    def _report_kind(self, email_message):
        report_type = (email_message.get_param("report-type") or "").lower()
        kind = REPORT_KINDS.get(report_type, "bounce")
        if kind == "delivery_report" and self._delivery_failed(email_message):
            return "bounce"
        return kind

    @api.model
    def _delivery_failed(self, email_message):
        # RFC 3464: each recipient's Action is failed, delayed, delivered, relayed
        # or expanded; only "failed" means the mail did not arrive.
        for part in email_message.walk():
            if part.get_content_type() != "message/delivery-status":
                continue
            for block in part.get_payload():
                if str(block.get("Action", "")).strip().lower() == "failed":
                    return True
            return False
        return True

    @api.model
    def _record_email(self, email_message, msg_dict, kind, groups, logged=None):
        """One row per group the email concerns, the original attached."""
        original = base64.b64encode(email_message.as_bytes())
        reference = msg_dict.get("message_id")
        known = self.search(
            [
                ("source", "=", "email"),
                ("reference", "=", reference),
                ("group_id", "in", groups.ids),
            ]
        ).group_id
        summary = " — ".join(
            filter(
                None,
                (
                    email_normalize(msg_dict.get("email_from") or "", strict=False),
                    msg_dict.get("subject"),
                ),
            )
        )
        return self.create(
            [
                {
                    "source": "email",
                    "kind": kind,
                    "reference": reference,
                    "summary": summary[:250],
                    "error": html2plaintext(msg_dict.get("body") or "")[:2000],
                    "company_id": group.company_id.id,
                    "group_id": group.id,
                    "message_log_id": logged.id if logged else False,
                    "original": original,
                    "original_filename": "original_email.eml",
                }
                for group in groups - known
            ]
        )

    def action_open_conversation(self):
        self.ensure_one()
        return self.conversation_id.get_formview_action()
