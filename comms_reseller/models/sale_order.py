from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    comms_account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="Confirming this quotation moves the account from its free trial to "
        "production; its contract products become the account's monthly invoicing.",
    )

    def _comms_is_open_quotation(self):
        self.ensure_one()
        return self.state in ("draft", "sent") and not self.is_expired

    def action_confirm(self):
        comms_orders = self.filtered("comms_account_id")
        comms_orders._comms_check_confirmable()
        comms_orders._comms_attach_account_contract()
        res = True
        if self - comms_orders:
            res = super(SaleOrder, self - comms_orders).action_confirm()
        if comms_orders:
            # Contracts are the accountants' records: product_contract makes the
            # account's contract lines for whoever may confirm (checked above).
            super(SaleOrder, comms_orders.sudo()).action_confirm()
        for order in comms_orders:
            order._comms_account_to_production()
        return res

    def _comms_check_confirmable(self):
        is_manager = self.env.user.has_group("comms_reseller.group_reseller_manager")
        for order in self:
            account = order.comms_account_id
            if account.billing_status != "trial":
                raise UserError(
                    self.env._(
                        "The account %(account)s is not in free trial any more: the "
                        "quotation %(order)s cannot move it to production.",
                        account=account.display_name,
                        order=order.name,
                    )
                )
            accepted = order.signature or order.transaction_ids.filtered(
                lambda tx: tx.state in ("authorized", "done")
            )
            # Without the client's signature or payment, confirming is the direct
            # move to production (e.g. a contract signed on paper).
            if not (accepted or self.env.su or is_manager):
                raise AccessError(
                    self.env._(
                        "Only a reseller manager can confirm the quotation %(order)s "
                        "that the client has not accepted online.",
                        order=order.name,
                    )
                )

    def _comms_contract_lines(self):
        return self.order_line.filtered(lambda line: line.product_id.is_contract)

    def _comms_attach_account_contract(self):
        """Have product_contract add the lines to the account's one contract
        (instead of a new contract per order), starting after the trial period."""
        for order in self:
            account_sudo = order.comms_account_id.sudo()
            account_sudo._contract_ensure()
            order._comms_contract_lines().write(
                {
                    "contract_id": account_sudo.contract_id.id,
                    "date_start": account_sudo._first_invoice_date(
                        fields.Date.context_today(self)
                    ),
                    "date_end": False,
                }
            )

    def _comms_account_to_production(self):
        """The plan lines become what the client accepted, each billed by the
        contract line product_contract made of its order line."""
        self.ensure_one()
        # The account, its plan lines and the contract lines are driven by the
        # client's acceptance, whoever confirms (the portal confirms as superuser).
        account_sudo = self.comms_account_id.sudo()
        order_lines = self._comms_contract_lines().sudo()
        by_order_line = self._comms_order_contract_lines()
        if set(order_lines) - set(by_order_line):
            # The reseller company does not make contracts on confirmation
            # (product_contract's setting): the account's must exist all the same.
            self.sudo().action_create_contract()
            by_order_line = self._comms_order_contract_lines()
        accepted = order_lines.comms_account_line_id
        dropped = account_sudo.line_ids - accepted
        if dropped:
            account_sudo.message_post(
                body=self.env._(
                    "Removed from the plan, not in the accepted quotation %(order)s: "
                    "%(lines)s.",
                    order=self.name,
                    lines=", ".join(dropped.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
            dropped.unlink()
        # The accepted quantity and price with the contract line billing them, in
        # one write: changing a billed plan line would start another contract line.
        for order_line in order_lines.filtered("comms_account_line_id"):
            order_line.comms_account_line_id.write(
                {
                    "quantity": order_line.product_uom_qty,
                    "price_unit": order_line.price_unit,
                    "contract_line_id": by_order_line[order_line].id,
                }
            )
        token = self._comms_saved_token()
        values = {"billing_status": "production"}
        if token:
            values.update({"payment_mode": "card", "payment_token_id": token.id})
        account_sudo.write(values)
        # Lines added on the quotation (paid options too, now in production).
        self.env["comms.account.line"].sudo().create(
            [
                order_line._comms_prepare_account_line_vals(by_order_line[order_line])
                for order_line in order_lines.filtered(
                    lambda line: not line.comms_account_line_id
                )
            ]
        )

    def _comms_order_contract_lines(self):
        # Contract lines are the accountants' records (see action_confirm).
        contract_lines = (
            self.env["contract.line"]
            .sudo()
            .search([("sale_order_line_id", "in", self.order_line.ids)])
        )
        return {line.sale_order_line_id: line for line in contract_lines}

    def _comms_saved_token(self):
        """The card the client saved while paying the quotation, if any."""
        self.ensure_one()
        # Transactions are the payment providers' records, not the salespeople's.
        paid = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state in ("authorized", "done") and tx.token_id.active
        )
        return paid.sorted("id")[-1:].token_id
