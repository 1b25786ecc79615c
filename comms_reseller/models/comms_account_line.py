from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CommsAccountLine(models.Model):
    _name = "comms.account.line"
    _description = "Subscriber Account Plan Line"
    _order = "account_id, sequence, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "comms.account",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, string="Reseller"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Plan or Option",
        required=True,
        index=True,
        check_company=True,
        domain="[('product_tmpl_id', 'in', parent.allowed_product_ids)]",
    )
    comms_kind = fields.Selection(related="product_id.comms_kind")
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(
        default=1.0, required=True, digits="Product Unit of Measure"
    )
    price_unit = fields.Monetary(
        string="Monthly Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    price_subtotal = fields.Monetary(
        string="Monthly Amount", compute="_compute_price_subtotal"
    )
    contract_line_id = fields.Many2one(
        "contract.line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="account.group_account_invoice",
        help="The line of the recurring invoices, while the account is billed.",
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive."),
        (
            "price_positive",
            "CHECK(price_unit >= 0)",
            "The monthly price cannot be negative.",
        ),
    ]

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            line.name = line.product_id.display_name

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.constrains("product_id", "account_id")
    def _check_product_allowed(self):
        for line in self:
            allowed = line.company_id._comms_allowed_products()
            if line.product_id.product_tmpl_id not in allowed:
                raise AccessError(
                    self.env._(
                        "%(company)s is not allowed to sell %(product)s: ask the "
                        "database administrator.",
                        company=line.company_id.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_id", "price_unit", "account_id")
    def _check_no_paid_option_in_trial(self):
        for line in self:
            # A line billed by the contract is the one the client accepted on the
            # quotation that is moving the account to production.
            if (
                line.account_id.billing_status == "trial"
                and line.comms_kind == "option"
                and line.price_unit > 0
                and not line.sudo().contract_line_id
            ):
                raise ValidationError(
                    self.env._(
                        "The paid option %(option)s can be added to %(account)s once "
                        "it is in production, not during its free trial.",
                        option=line.product_id.display_name,
                        account=line.account_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        billed = lines.filtered(
            lambda line: line.account_id.billing_status == "production"
        )
        today = fields.Date.context_today(self)
        for account in billed.account_id:
            # The lines of an account created in production wait for its trial
            # period before the first invoice.
            billed.filtered(
                lambda line, a=account: line.account_id == a
            )._contract_line_start(account._first_invoice_date(today))
        return lines

    def write(self, vals):
        billing = {"product_id", "quantity", "price_unit"} & vals.keys()
        billed_sudo = self.sudo().filtered("contract_line_id")
        if "account_id" in vals and billed_sudo:
            raise UserError(
                self.env._(
                    "A plan line being invoiced cannot move to another account: "
                    "remove it and add a new one there."
                )
            )
        res = super().write(vals)
        if billing and billed_sudo:
            billed_sudo._contract_line_replace()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_stop_invoicing(self):
        self._contract_line_stop()

    # Recurring invoicing with OCA contract: the contract lines are the
    # accountants' records, driven from here only (hence sudo).

    def _prepare_contract_line_vals(self, date_start):
        self.ensure_one()
        return {
            "contract_id": self.account_id.sudo().contract_id.id,
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "quantity": self.quantity,
            "uom_id": self.product_id.uom_id.id,
            **self._contract_line_billing_vals(self.name, self.price_unit, date_start),
        }

    @api.model
    def _contract_line_billing_vals(self, name, price_unit, date_start):
        """How every plan line is billed, whether the account or a quotation made
        its contract line: monthly, pre-paid, at its own price, with no end."""
        return {
            "name": f"{name}\n#START# - #END#",
            "automatic_price": False,
            "specific_price": price_unit,
            "price_unit": price_unit,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
            "date_start": date_start,
            "recurring_next_date": date_start,
            "date_end": False,
        }

    def _prepare_order_line_vals(self):
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "price_unit": self.price_unit,
            "comms_account_line_id": self.id,
            # What the client reads: billing starts after the trial period, if any.
            "date_start": self.account_id._first_invoice_date(
                fields.Date.context_today(self)
            ),
        }

    def _contract_line_start(self, date_start):
        lines_sudo = self.sudo().filtered(lambda line: not line.contract_line_id)
        if not lines_sudo:
            return
        lines_sudo.account_id._contract_ensure()
        contract_lines = (
            self.env["contract.line"]
            .sudo()
            .create(
                [line._prepare_contract_line_vals(date_start) for line in lines_sudo]
            )
        )
        for line, contract_line in zip(lines_sudo, contract_lines, strict=True):
            line.contract_line_id = contract_line

    def _contract_line_replace(self):
        """Bill a changed product, quantity or price from the first period not
        invoiced yet: a period already invoiced is neither billed again nor
        prorated."""
        for line_sudo in self.sudo().filtered("contract_line_id"):
            current = line_sudo.contract_line_id
            start = (
                current.last_date_invoiced + timedelta(days=1)
                if current.last_date_invoiced
                else current.date_start
            )
            line_sudo._contract_line_stop()
            line_sudo._contract_line_start(start)

    def _contract_line_stop(self):
        """End the contract lines: a period already invoiced runs out, a line never
        invoiced is cancelled, nothing more is invoiced."""
        for line_sudo in self.sudo().filtered("contract_line_id"):
            contract_line = line_sudo.contract_line_id
            if contract_line.last_date_invoiced:
                contract_line.date_end = contract_line.last_date_invoiced
            else:
                contract_line.write(
                    {"is_canceled": True, "date_end": contract_line.date_start}
                )
            line_sudo.contract_line_id = False
