from odoo import fields, models


class CommsAccountAffiliateLine(models.TransientModel):
    _name = "comms.account.affiliate.line"
    _description = "Extension Proposed on Affiliation"

    wizard_id = fields.Many2one(
        "comms.account.affiliate", required=True, ondelete="cascade"
    )
    account_user_id = fields.Many2one(
        "comms.account.user", string="User", required=True
    )
    current_extension = fields.Char()
    new_extension = fields.Char(string="Proposed Extension")
