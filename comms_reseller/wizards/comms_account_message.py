from odoo import api, fields, models
from odoo.exceptions import UserError


class CommsAccountMessage(models.TransientModel):
    """Send message: an email to the account's administrator, through Odoo's
    composer (and its Cc / Bcc from OCA mail_composer_cc_bcc)."""

    _name = "comms.account.message"
    _description = "Message to a Subscriber Account"

    account_id = fields.Many2one("comms.account", required=True, readonly=True)
    kind = fields.Selection(
        [
            ("access", "Access Codes"),
            ("statement", "Account Statement"),
            ("custom", "Custom Message"),
        ],
        required=True,
        default="custom",
        help="Access codes: the identifiers and a link to set a password. Account "
        "statement: the plans, options, numbers and monthly fees, as a PDF.",
    )
    partner_id = fields.Many2one(
        related="account_id.admin_user_id.partner_id", string="To"
    )
    partner_cc_ids = fields.Many2many(
        "res.partner",
        "comms_account_message_cc_rel",
        "message_id",
        "partner_id",
        string="Cc",
    )
    partner_bcc_ids = fields.Many2many(
        "res.partner",
        "comms_account_message_bcc_rel",
        "message_id",
        "partner_id",
        string="Bcc",
    )
    subject = fields.Char()
    body = fields.Html()

    @api.constrains("kind", "subject", "body")
    def _check_custom_message(self):
        for wizard in self.filtered(lambda w: w.kind == "custom"):
            if not wizard.subject or not wizard.body:
                raise UserError(
                    self.env._("A custom message needs a subject and a body.")
                )

    def action_send(self):
        self.ensure_one()
        self.account_id._send_admin_message(
            self.kind,
            cc=self.partner_cc_ids,
            bcc=self.partner_bcc_ids,
            subject=self.subject,
            body=self.body,
        )
        return {"type": "ir.actions.act_window_close"}
