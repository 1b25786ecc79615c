from odoo import api, fields, models


class CommsGroup(models.Model):
    _inherit = "comms.group"

    fax_line_ids = fields.One2many("comms.fax.line", "group_id", string="Fax lines")
    fax_line_id = fields.Many2one(
        "comms.fax.line",
        string="Fax line",
        compute="_compute_fax_line_id",
        help="The group's one fax number.",
    )

    @api.depends("fax_line_ids")
    def _compute_fax_line_id(self):
        for group in self:
            group.fax_line_id = group.fax_line_ids[:1]
