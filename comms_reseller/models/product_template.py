from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    comms_kind = fields.Selection(
        [("plan", "Plan"), ("option", "Option"), ("device", "Device")],
        string="Reseller Offer",
        index="btree_not_null",
        help="Plans and options can be put on subscriber accounts, by the resellers "
        "allowed to sell them.",
    )
