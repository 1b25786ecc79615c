from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Plans and options are billed monthly by the account's contract; devices are sold once.
CONTRACT_KINDS = ("plan", "option")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    comms_kind = fields.Selection(
        [("plan", "Plan"), ("option", "Option"), ("device", "Device")],
        string="Reseller Offer",
        index="btree_not_null",
        help="Plans and options can be put on subscriber accounts, by the resellers "
        "allowed to sell them.",
    )
    # OCA product_contract: a quotation's contract products become contract lines
    # when it is confirmed, instead of being invoiced by the order.
    is_contract = fields.Boolean(
        compute="_compute_is_contract", store=True, readonly=False, precompute=True
    )

    @api.depends("comms_kind", "type")
    def _compute_is_contract(self):
        for template in self:
            if template.comms_kind:
                template.is_contract = (
                    template.comms_kind in CONTRACT_KINDS and template.type == "service"
                )
            else:
                template.is_contract = template.is_contract

    @api.model
    def _comms_mark_contract_products(self):
        self.search(
            [
                ("comms_kind", "in", CONTRACT_KINDS),
                ("type", "=", "service"),
                ("is_contract", "=", False),
            ]
        ).is_contract = True

    comms_units_pack = fields.Boolean(
        string="Prepaid Units Pack",
        help="Selling this product credits prepaid units to the subscriber "
        "account's wallet, once its invoice is paid.",
    )
    comms_units_per_pack = fields.Integer(
        string="Units per Pack", help="The units credited for each pack sold."
    )
    comms_units_price = fields.Integer(
        string="Price in Units",
        help="For a plan: the units a group's owner pays to open an account on "
        "this plan for someone who joins its group. 0: not sold for units.",
    )

    _sql_constraints = [
        (
            "comms_units_price_positive",
            "CHECK(comms_units_price >= 0)",
            "A price in units cannot be negative.",
        ),
    ]

    @api.constrains("comms_units_pack", "comms_units_per_pack")
    def _check_comms_units_per_pack(self):
        for product in self.filtered("comms_units_pack"):
            if product.comms_units_per_pack <= 0:
                raise ValidationError(
                    self.env._(
                        "The units pack %(product)s must credit at least one unit.",
                        product=product.display_name,
                    )
                )
