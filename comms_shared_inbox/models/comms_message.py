from odoo import api, fields, models
from odoo.tools import html2plaintext

CHANNELS = [("email", "Email"), ("sms", "SMS"), ("fax", "Fax")]
CHANNEL_ICONS = {"email": "fa-envelope", "sms": "fa-mobile", "fax": "fa-fax"}


class CommsMessage(models.Model):
    """One row per message in or out on any channel: the log behind the reports."""

    _name = "comms.message"
    _description = "Shared inbox message log"
    _order = "date desc, id desc"
    _rec_name = "subject"

    conversation_id = fields.Many2one(
        "comms.conversation", required=True, index=True, ondelete="cascade"
    )
    group_id = fields.Many2one(
        related="conversation_id.group_id", store=True, index=True, string="Group"
    )
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    partner_id = fields.Many2one(
        related="conversation_id.partner_id", store=True, index=True, string="Customer"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handled by",
        index=True,
        help="Who sent it, for messages out.",
    )
    channel = fields.Selection(CHANNELS, required=True, index=True)
    channel_icon = fields.Char(compute="_compute_channel_icon")
    direction = fields.Selection([("in", "In"), ("out", "Out")], required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    subject = fields.Char()
    sender = fields.Char(help="Email address or phone number it came from.")
    summary = fields.Char()
    page_count = fields.Integer(help="Pages of a fax; empty when unknown.")
    mail_message_id = fields.Many2one(
        "mail.message", index="btree_not_null", ondelete="set null"
    )
    provider_ref = fields.Char(
        string="Provider reference",
        index="btree_not_null",
        help="The provider's id of the message (e.g. Twilio's MessageSid).",
    )

    _sql_constraints = [
        (
            "provider_ref_unique",
            "UNIQUE(channel, provider_ref)",
            "This provider message is already in the log.",
        ),
    ]

    @api.depends("channel")
    def _compute_channel_icon(self):
        for message in self:
            message.channel_icon = CHANNEL_ICONS.get(message.channel, "")

    @api.model
    def _log(self, conversation, message, channel, direction, values):
        author = message.author_id
        return self.create(
            {
                "conversation_id": conversation.id,
                "channel": channel,
                "direction": direction,
                "date": message.date or fields.Datetime.now(),
                "subject": message.subject,
                "sender": message.email_from if direction == "in" else False,
                "summary": html2plaintext(message.body or "")[:200],
                "user_id": author.user_ids[:1].id if direction == "out" else False,
                "mail_message_id": message.id,
                **values,
            }
        )

    def action_open_conversation(self):
        self.ensure_one()
        return self.conversation_id.get_formview_action()
