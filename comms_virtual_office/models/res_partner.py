from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    office_package_id = fields.Many2one(
        "comms.office.package",
        string="Virtual Office Package",
        index="btree_not_null",
        tracking=True,
    )
    office_scan_policy = fields.Selection(
        [("always", "Always allowed"), ("never", "Never allowed")],
        string="Scan Requests",
        help="Whether this client may request scans of the items waiting at the "
        "office. Empty: follow their company's setting, then their package.",
    )
    office_mail_item_ids = fields.One2many(
        "comms.mail.item", "partner_id", string="Mail Items"
    )
    office_mail_item_count = fields.Integer(
        compute="_compute_office_mail_item_count", string="# Mail Items"
    )

    @api.depends("office_mail_item_ids")
    def _compute_office_mail_item_count(self):
        counts = dict(
            self.env["comms.mail.item"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.office_mail_item_count = counts.get(partner, 0)

    def _office_scan_allowed(self):
        """Whether this client may request scans, by the global switch, then
        their own policy, then their commercial partner's, then their (commercial
        partner's) package."""
        self.ensure_one()
        params_sudo = self.env["ir.config_parameter"].sudo()
        if not params_sudo.get_param("comms_virtual_office.allow_scan_request"):
            return False
        # The client's company and package may be unreadable to the current user.
        partner_sudo = self.sudo()
        policy = (
            partner_sudo.office_scan_policy
            or partner_sudo.commercial_partner_id.office_scan_policy
        )
        if policy:
            return policy == "always"
        return bool(partner_sudo._office_package().allow_scan_request)

    def _office_package(self):
        self.ensure_one()
        return self.office_package_id or self.commercial_partner_id.office_package_id

    def action_view_office_mail_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_virtual_office.comms_mail_item_action"
        )
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {"default_partner_id": self.id}
        return action
