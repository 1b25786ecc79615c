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
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
        help="When it arrived in, or left, Odoo.",
    )
    sent_date = fields.Datetime(
        string="Sent (sender's clock)",
        help="The date the sender's mail client wrote in the email.",
    )
    subject = fields.Char()
    sender = fields.Char(help="Email address or phone number it came from.")
    sender_display = fields.Char(string="From", compute="_compute_sender_display")
    summary = fields.Char()
    page_count = fields.Integer(help="Pages of a fax; empty when unknown.")
    mail_message_id = fields.Many2one(
        "mail.message", index="btree_not_null", ondelete="set null"
    )
    rfc_message_id = fields.Char(
        string="Message-Id",
        index="btree_not_null",
        help="The email's Message-Id: the same email delivered to several groups "
        "has one row in each.",
    )
    also_delivered_to = fields.Char(
        compute="_compute_also_delivered_to",
        help="The other groups whose conversations hold the same email.",
    )
    bounced = fields.Boolean(
        readonly=True, help="The customer's mail server refused this email."
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

    @api.depends("channel", "direction", "sender")
    def _compute_sender_display(self):
        for message in self:
            if message.sender or message.direction != "in":
                message.sender_display = message.sender
            elif message.channel == "email":
                message.sender_display = self.env._("(no sender)")
            else:
                message.sender_display = self.env._("(number withheld)")

    @api.depends("rfc_message_id")
    def _compute_also_delivered_to(self):
        rfc_ids = [rfc_id for rfc_id in self.mapped("rfc_message_id") if rfc_id]
        # sudo: a member may not see the other groups, yet is told their names
        groups_by_rfc_id = dict(
            self.sudo()._read_group(
                [("rfc_message_id", "in", rfc_ids)],
                ["rfc_message_id"],
                ["group_id:recordset"],
            )
        )
        for message in self:
            groups = groups_by_rfc_id.get(message.rfc_message_id, message.group_id)
            others = groups - message.group_id.sudo()
            message.also_delivered_to = ", ".join(others.mapped("name")) or False

    @api.model
    def _log(self, conversation, message, channel, direction, values):
        author = message.author_id
        is_email = channel == "email"
        # An email's date is the sender's clock: the log keeps when it arrived.
        arrived = is_email and direction == "in"
        now = fields.Datetime.now()
        return self.create(
            {
                "conversation_id": conversation.id,
                "channel": channel,
                "direction": direction,
                "date": now if arrived else message.date or now,
                "sent_date": message.date if arrived else False,
                "rfc_message_id": message.message_id if is_email else False,
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
