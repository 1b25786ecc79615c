from odoo import fields, models

from .sms_sms import CALL_RULE_FAILURE, TEST_MODE_FAILURE, UNITS_EXPIRED_FAILURE


class MailNotification(models.Model):
    _inherit = "mail.notification"

    failure_type = fields.Selection(
        selection_add=[CALL_RULE_FAILURE, TEST_MODE_FAILURE, UNITS_EXPIRED_FAILURE]
    )
