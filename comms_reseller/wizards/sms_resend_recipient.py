from odoo import fields, models


class SmsResendRecipient(models.TransientModel):
    _inherit = "sms.resend.recipient"

    # Odoo shows the failure type only; a refusal of the suite says which rule.
    failure_reason = fields.Text(
        related="notification_id.failure_reason", related_sudo=True, readonly=True
    )
