from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    office_cost_ids = fields.One2many(
        "comms.mail.item.cost", "invoice_line_id", string="Virtual Office Costs"
    )
