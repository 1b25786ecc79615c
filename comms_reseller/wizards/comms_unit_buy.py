from odoo import api, fields, models
from odoo.exceptions import UserError


class CommsUnitBuy(models.TransientModel):
    """Buy units: an invoice of units packs for a subscriber account, whose units
    are credited when it is paid."""

    _name = "comms.unit.buy"
    _description = "Buy Prepaid Units"

    account_id = fields.Many2one("comms.account", required=True, readonly=True)
    company_id = fields.Many2one(related="account_id.company_id")
    product_id = fields.Many2one(
        "product.product",
        string="Units Pack",
        required=True,
        domain="[('comms_units_pack', '=', True), "
        "('company_id', 'in', (False, company_id))]",
    )
    quantity = fields.Integer(string="Packs", required=True, default=1)
    units = fields.Integer(compute="_compute_units")

    @api.depends("product_id", "quantity")
    def _compute_units(self):
        for wizard in self:
            wizard.units = wizard.quantity * wizard.product_id.comms_units_per_pack

    def action_create_invoice(self):
        self.ensure_one()
        self._check_can_invoice()
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                self.env["account.move"]._comms_units_invoice_vals(
                    self.account_id, self.product_id, self.quantity
                )
            )
        )
        invoice.action_post()
        self.account_id.message_post(
            body=self.env._(
                "Invoice %(invoice)s for %(units)s units: they are credited when "
                "it is paid.",
                invoice=invoice._get_html_link(),
                units=self.units,
            )
        )
        return invoice.get_formview_action()

    def _check_can_invoice(self):
        if self.quantity <= 0:
            raise UserError(self.env._("Buy at least one pack of units."))
        if not self.company_id.comms_units_account_id:
            raise UserError(
                self.env._(
                    "%(company)s has no prepaid units account: set it in Settings ▸ "
                    "Reseller before selling units.",
                    company=self.company_id.name,
                )
            )
