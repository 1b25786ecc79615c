from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    comms_units_account_id = fields.Many2one(
        related="company_id.comms_units_account_id", readonly=False
    )
    comms_units_revenue_account_id = fields.Many2one(
        related="company_id.comms_units_revenue_account_id", readonly=False
    )
    comms_units_per_fax_page = fields.Integer(
        related="company_id.comms_units_per_fax_page", readonly=False
    )
    comms_units_per_sms_segment = fields.Integer(
        related="company_id.comms_units_per_sms_segment", readonly=False
    )
