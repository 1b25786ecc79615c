from odoo import api, fields, models


class CommsAccountUnaffiliate(models.TransientModel):
    """Unaffiliate: leave the organization; the users keep their extensions."""

    _name = "comms.account.unaffiliate"
    _description = "Unaffiliate a Subscriber Account from its Organization"

    account_id = fields.Many2one("comms.account", required=True, readonly=True)
    organization_id = fields.Many2one(
        "comms.account", compute="_compute_organization_id"
    )
    notify_all = fields.Boolean(
        string="Tell every user of the account",
        help="Email each user of the account that it left the organization.",
    )

    @api.depends("account_id")
    def _compute_organization_id(self):
        for wizard in self:
            wizard.organization_id = wizard.account_id.organization_id

    def action_continue(self):
        self.ensure_one()
        organization = self.account_id._unaffiliate()
        if self.notify_all:
            template = self.env.ref("comms_reseller.mail_template_account_unaffiliated")
            for user in self.account_id.user_ids:
                template.with_context(
                    comms_organization=organization.display_name
                ).send_mail(user.id)
        return {"type": "ir.actions.act_window_close"}
