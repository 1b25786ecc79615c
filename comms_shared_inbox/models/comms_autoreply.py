from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CommsAutoreply(models.Model):
    """One auto-reply of a group: on which event, on which channel, with which
    template (as loyalty.mail does for loyalty programs)."""

    _name = "comms.autoreply"
    _description = "Shared inbox auto-reply"
    _order = "event, channel"

    group_id = fields.Many2one(
        "comms.group", required=True, index=True, ondelete="cascade"
    )
    active = fields.Boolean(
        string="On", default=True, help="Off: this auto-reply is not sent."
    )
    event = fields.Selection(
        [("received", "Message received"), ("claimed", "Message claimed")],
        required=True,
    )
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], required=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "comms.conversation")],
        ondelete="restrict",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS template",
        domain=[("model", "=", "comms.conversation")],
        ondelete="restrict",
    )

    _sql_constraints = [
        (
            "group_event_channel_unique",
            "UNIQUE(group_id, event, channel)",
            "A group has one auto-reply per event and channel.",
        ),
    ]

    @api.constrains("channel", "mail_template_id", "sms_template_id", "active")
    def _check_template(self):
        for autoreply in self.filtered("active"):
            if not autoreply._template():
                raise ValidationError(
                    self.env._(
                        "The auto-reply “%(event)s” by %(channel)s needs a template.",
                        event=autoreply._description_of("event"),
                        channel=autoreply._description_of("channel"),
                    )
                )

    def _description_of(self, fname):
        return dict(self._fields[fname]._description_selection(self.env))[self[fname]]

    def _template(self):
        self.ensure_one()
        if self.channel == "email":
            return self.mail_template_id
        return self.sms_template_id

    @api.model
    def _default_values(self):
        """The four auto-replies a new group starts with: off, with the suite's
        texts."""
        values = []
        for event in ("received", "claimed"):
            mail = self.env.ref(f"comms_shared_inbox.mail_template_autoreply_{event}")
            sms = self.env.ref(f"comms_shared_inbox.sms_template_autoreply_{event}")
            values += [
                {"event": event, "channel": "email", "mail_template_id": mail.id},
                {"event": event, "channel": "sms", "sms_template_id": sms.id},
            ]
        return [dict(vals, active=False) for vals in values]

    def _send_to(self, conversation):
        """Send this auto-reply to the customer of `conversation` (already sudo, with
        the auto-reply context)."""
        self.ensure_one()
        if self.channel == "email":
            email_from = conversation._group_email_from()
            conversation.message_post_with_source(
                self.mail_template_id,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                **({"email_from": email_from} if email_from else {}),
            )
        else:
            conversation._message_sms_with_template(
                template=self.sms_template_id,
                partner_ids=conversation.partner_id.ids,
            )
