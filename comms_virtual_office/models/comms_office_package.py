from odoo import api, fields, models


class CommsOfficePackage(models.Model):
    _name = "comms.office.package"
    _description = "Virtual Office Package"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text(translate=True)
    allow_scan_request = fields.Boolean(
        string="Clients May Request Scans",
        default=True,
        help="Clients on this package may ask for a scan of an item waiting at the "
        "office, unless their own setting says otherwise.",
    )
    scan_cost = fields.Monetary(
        help="Default additional cost billed when a requested scan is done.",
    )
    partner_ids = fields.One2many("res.partner", "office_package_id", string="Clients")
    partner_count = fields.Integer(compute="_compute_partner_count", string="# Clients")

    _sql_constraints = [
        (
            "scan_cost_positive",
            "CHECK(scan_cost >= 0)",
            "The scan cost of a package cannot be negative.",
        ),
    ]

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("office_package_id", "in", self.ids)],
                ["office_package_id"],
                ["__count"],
            )
        )
        for package in self:
            package.partner_count = counts.get(package, 0)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_form"
        )
        action["domain"] = [("office_package_id", "=", self.id)]
        action["context"] = {"default_office_package_id": self.id}
        return action
