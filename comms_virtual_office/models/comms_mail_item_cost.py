from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class CommsMailItemCost(models.Model):
    _name = "comms.mail.item.cost"
    _description = "Mail Item Extra Cost"
    _order = "date desc, id desc"
    _check_company_auto = True

    mail_item_id = fields.Many2one(
        "comms.mail.item",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="mail_item_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="mail_item_id.partner_id", store=True, index=True, string="Client"
    )
    commercial_partner_id = fields.Many2one(
        related="mail_item_id.commercial_partner_id",
        store=True,
        index=True,
        string="Billed Customer",
    )
    direction = fields.Selection(related="mail_item_id.direction", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    name = fields.Char(string="Description", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True)
    scan_request_id = fields.Many2one(
        "comms.scan.request",
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id",
        string="Invoice",
        store=True,
        index="btree_not_null",
    )
    invoiced = fields.Boolean(compute="_compute_invoiced", store=True, index=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "An extra cost cannot be negative."),
    ]

    @api.depends("invoice_line_id.move_id.state")
    def _compute_invoiced(self):
        # A cancelled invoice frees its costs for the next invoice run.
        for cost in self:
            cost.invoiced = bool(cost.invoice_line_id) and (
                cost.invoice_line_id.move_id.state != "cancel"
            )

    def write(self, vals):
        protected = {"mail_item_id", "amount", "name", "date"}
        if protected & vals.keys() and self.filtered("invoiced"):
            raise UserError(self.env._("An invoiced extra cost cannot be modified."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("invoiced"):
            raise UserError(self.env._("An invoiced extra cost cannot be deleted."))

    # Invoicing

    def _lock_for_invoicing(self):
        """Lock the costs so that two simultaneous runs cannot invoice them twice;
        return those still to invoice."""
        if not self:
            return self
        self.flush_recordset(["invoiced"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM comms_mail_item_cost WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        return self.filtered(lambda cost: not cost.invoiced)

    def _prepare_invoice_line_vals(self, product):
        """Values of the invoice line of this cost, which links the cost in the
        same create, whatever order the invoice gives its lines."""
        self.ensure_one()
        return {
            "product_id": product.id,
            "name": f"{self.mail_item_id.name} - {self.name}",
            "quantity": 1.0,
            "price_unit": self.amount,
            "office_cost_ids": [fields.Command.link(self.id)],
        }

    def _prepare_invoice_vals(self, partner, company):
        """Values of one draft customer invoice with one line per cost of self.
        Taxes are left to the invoice line, which takes the product's sale taxes
        through the customer's fiscal position."""
        product = company._office_invoice_product()
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_line_ids": [
                fields.Command.create(cost._prepare_invoice_line_vals(product))
                for cost in self
            ],
        }

    def _check_invoicing_rights(self):
        if not self.env.su and not self.env.user.has_group(
            "comms_virtual_office.group_office_manager"
        ):
            raise AccessError(
                self.env._("Only virtual office managers may invoice extra costs.")
            )
        self.check_access("write")

    def _create_invoices(self):
        """One draft invoice per billed customer and company for the costs of self
        not invoiced yet, all created by one batched account.move.create."""
        self._check_invoicing_rights()
        to_invoice = self._lock_for_invoicing().sorted(lambda c: (c.date, c.id))
        if not to_invoice:
            return self.env["account.move"]
        groups = to_invoice.grouped(lambda c: (c.commercial_partner_id, c.company_id))
        return self.env["account.move"].create(
            [
                costs._prepare_invoice_vals(partner, company)
                for (partner, company), costs in groups.items()
            ]
        )

    def action_create_invoices(self):
        moves = self._create_invoices()
        if not moves:
            raise UserError(
                self.env._("There is nothing left to invoice in the selection.")
            )
        return self._invoices_action(moves)

    @api.model
    def _invoices_action(self, moves):
        """Open new draft invoices in Odoo's customer invoice list (customer,
        amounts, status), not the generic journal entry list, where every draft
        reads "/" without a customer."""
        if len(moves) == 1:
            return moves._get_records_action(name=self.env._("Invoices"))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            name=self.env._("Invoices"),
            domain=[("id", "in", moves.ids)],
            context={"default_move_type": "out_invoice"},
        )
        return action
