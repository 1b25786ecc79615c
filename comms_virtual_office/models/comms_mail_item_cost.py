from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
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
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
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

    @api.model
    def _invoice_product(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("comms_virtual_office.invoice_product_id")
        )
        product = self.env["product.product"].browse(int(param or 0)).exists()
        return product or self.env.ref("comms_virtual_office.product_office_extra_cost")

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

    def _prepare_invoice_vals(self, partner, company, product):
        """Values of one draft customer invoice with one line per cost of self.
        Taxes are left to the invoice line, which takes the product's sale taxes
        through the customer's fiscal position."""
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": f"{cost.mail_item_id.name} - {cost.name}",
                        "quantity": 1.0,
                        "price_unit": cost.amount,
                    }
                )
                for cost in self
            ],
        }

    def _create_invoices(self):
        """One draft invoice per billed customer and company for the costs of self
        not invoiced yet. All invoices are created in one batch and the costs are
        linked to their lines afterwards, so the number of queries grows with the
        number of customers, not with the number of costs."""
        self.check_access("write")
        to_invoice = self._lock_for_invoicing().sorted(lambda c: (c.date, c.id))
        if not to_invoice:
            return self.env["account.move"]
        product = self._invoice_product()
        groups = defaultdict(lambda: self.browse())
        for cost in to_invoice:
            groups[cost.commercial_partner_id, cost.company_id] |= cost
        vals_list = []
        for (partner, company), costs in groups.items():
            vals_list.append(costs._prepare_invoice_vals(partner, company, product))
        moves = self.env["account.move"].create(vals_list)
        to_invoice.sudo()._link_invoice_lines(moves, list(groups.values()))
        return moves

    def _link_invoice_lines(self, moves, cost_groups):
        for move, costs in zip(moves, cost_groups, strict=True):
            lines = move.invoice_line_ids.sorted("id")
            if len(lines) != len(costs):
                raise UserError(
                    self.env._(
                        "The invoice %(move)s does not match its costs.", move=move.name
                    )
                )
            for cost, line in zip(costs, lines, strict=True):
                cost.invoice_line_id = line

    def action_create_invoices(self):
        moves = self._create_invoices()
        if not moves:
            raise UserError(
                self.env._("There is nothing left to invoice in the selection.")
            )
        return moves._get_records_action(name=self.env._("Invoices"))
