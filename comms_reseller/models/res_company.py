from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Only the database administrator decides what a reseller may sell: the field
    # is neither readable nor writable by the resellers' staff.
    comms_allowed_product_ids = fields.Many2many(
        "product.template",
        "comms_reseller_company_product_rel",
        "company_id",
        "product_tmpl_id",
        string="Plans and Options Allowed",
        domain=[("comms_kind", "!=", False)],
        groups="base.group_system",
        help="The plans and options this reseller may put on its subscriber accounts.",
    )

    def _comms_allowed_products(self):
        # The reseller's staff cannot read the list, yet it decides what they may
        # put on an account.
        companies_sudo = self.sudo()
        return companies_sudo.comms_allowed_product_ids.sudo(False)
