from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CommsOfficeInvoiceWizard(models.TransientModel):
    _name = "comms.office.invoice.wizard"
    _description = "Invoice Virtual Office Extra Costs"

    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To", default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        help="Leave empty to invoice every client with extra costs in the period.",
    )
    cost_count = fields.Integer(compute="_compute_totals", string="Costs to Invoice")
    client_count = fields.Integer(
        compute="_compute_totals", string="Invoices to Create"
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise ValidationError(
                    self.env._("The start date must precede the end date.")
                )

    def _cost_domain(self):
        self.ensure_one()
        domain = [
            ("invoiced", "=", False),
            ("company_id", "in", self.env.companies.ids),
        ]
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        if self.date_to:
            domain.append(("date", "<=", self.date_to))
        if self.partner_ids:
            domain.append(("partner_id", "child_of", self.partner_ids.ids))
        return domain

    @api.depends("date_from", "date_to", "partner_ids")
    def _compute_totals(self):
        Cost = self.env["comms.mail.item.cost"]
        for wizard in self:
            groups = Cost._read_group(
                wizard._cost_domain(), ["commercial_partner_id"], ["__count"]
            )
            wizard.client_count = len(groups)
            wizard.cost_count = sum(count for _partner, count in groups)

    def action_create_invoices(self):
        self.ensure_one()
        costs = self.env["comms.mail.item.cost"].search(self._cost_domain())
        moves = costs._create_invoices()
        if not moves:
            raise UserError(self.env._("There is nothing to invoice for this period."))
        return costs._invoices_action(moves)
