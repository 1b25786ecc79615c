from odoo import Command, api, fields, models


class CommsAccountAffiliate(models.TransientModel):
    """Affiliate: join an organization, with new extensions proposed for the
    users whose extension clashes with the organization's; nothing changes
    before Continue."""

    _name = "comms.account.affiliate"
    _description = "Affiliate a Subscriber Account to an Organization"
    _check_company_auto = True

    account_id = fields.Many2one("comms.account", required=True, readonly=True)
    company_id = fields.Many2one(related="account_id.company_id")
    organization_id = fields.Many2one(
        "comms.account",
        required=True,
        check_company=True,
        domain="[('kind', '=', 'company'), ('organization_id', '=', False), "
        "('id', '!=', account_id), ('company_id', '=', company_id)]",
    )
    line_ids = fields.One2many(
        "comms.account.affiliate.line",
        "wizard_id",
        string="New Extensions",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        help="Computed when the organization is chosen and saved as shown: "
        "Continue applies exactly these, or nothing if they no longer fit.",
    )
    notify_organization = fields.Boolean(
        string="Email the new extensions to the organization's administrator",
        default=True,
    )

    @api.depends("account_id", "organization_id")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.account_id and wizard.organization_id:
                proposals = wizard.account_id._extension_proposals(
                    wizard.organization_id
                )
                commands += [
                    Command.create(wizard._prepare_line(owner, extension))
                    for owner, extension in proposals.items()
                ]
            wizard.line_ids = commands

    def _prepare_line(self, owner, extension):
        is_group = owner._name == "comms.group"
        return {
            "name": self.account_id._extension_owner_label(owner),
            "owner_model": owner._name,
            "owner_id": owner.id,
            "current_extension": owner.comms_extension if is_group else owner.extension,
            "new_extension": extension,
        }

    def action_continue(self):
        self.ensure_one()
        proposals = {line._owner(): line.new_extension for line in self.line_ids}
        changes = self.account_id._affiliate(self.organization_id, proposals)
        self._notify(changes)
        return {"type": "ir.actions.act_window_close"}

    def _notify(self, changes):
        """The organization's administrator gets the list of new extensions (if
        asked), each user whose extension changed their own."""
        if self.notify_organization and self.organization_id.admin_user_id:
            template = self.env.ref(
                "comms_reseller.mail_template_affiliation_extensions"
            )
            self.organization_id.with_context(
                comms_affiliated_account=self.account_id.display_name,
                comms_extension_changes=[
                    {
                        "user": self.account_id._extension_owner_label(owner),
                        "old": old,
                        "new": new,
                    }
                    for owner, old, new in changes
                ],
            ).message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        template = self.env.ref("comms_reseller.mail_template_extension_changed")
        for owner, old, _new in changes:
            if owner._name == "comms.account.user":
                template.with_context(comms_old_extension=old).send_mail(owner.id)
