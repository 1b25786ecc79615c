from odoo import api, fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    comms_address_ids = fields.Many2many(
        "ir.mail_server",
        compute="_compute_comms_address_ids",
        string="Addresses you may send from",
    )
    comms_address_id = fields.Many2one(
        "ir.mail_server",
        "Send from",
        compute="_compute_comms_address_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', comms_address_ids)]",
    )
    comms_address_info = fields.Char(compute="_compute_comms_address_info")

    def _comms_single_record(self):
        self.ensure_one()
        res_ids = self._evaluate_res_ids() if self.model else []
        if self.composition_mode != "comment" or len(res_ids) != 1:
            return False, False
        return self.model, res_ids[0]

    @api.depends("model", "res_ids", "composition_mode")
    def _compute_comms_address_ids(self):
        servers = self.env["ir.mail_server"]
        for composer in self:
            model, res_id = composer._comms_single_record()
            composer.comms_address_ids = (
                servers._comms_addresses_for(self.env.user, model, res_id)
                if model
                else False
            )

    @api.depends("model", "res_ids", "composition_mode")
    def _compute_comms_address_id(self):
        servers = self.env["ir.mail_server"]
        for composer in self:
            model, res_id = composer._comms_single_record()
            address, _source = (
                servers._comms_default_address(self.env.user, model, res_id)
                if model
                else (servers, False)
            )
            composer.comms_address_id = address

    @api.depends("comms_address_id")
    def _compute_comms_address_info(self):
        servers = self.env["ir.mail_server"]
        for composer in self:
            model, res_id = composer._comms_single_record()
            address = composer.comms_address_id
            default, source = (
                servers._comms_default_address(self.env.user, model, res_id)
                if model
                else (servers, False)
            )
            if not address:
                info = self.env._("Sent by Odoo's usual sender.")
            elif address != default:
                info = self.env._("Sent from the address chosen here.")
            elif source == "personal":
                info = self.env._("Sent from your personal address.")
            else:
                info = self.env._("Sent from the project's default address.")
            composer.comms_address_info = info

    @api.depends("composition_mode", "email_from", "model", "res_ids", "template_id")
    def _compute_authorship(self):
        result = super()._compute_authorship()
        for composer in self:
            model, res_id = composer._comms_single_record()
            personal = composer.email_from == self.env.user.email_formatted
            if model == "comms.conversation" and personal:
                # A reply to a customer leaves from the group's shared address.
                conversation = self.env[model].browse(res_id)
                composer.email_from = (
                    conversation._group_email_from(composer.author_id.id)
                    or composer.email_from
                )
        return result

    def _prepare_mail_values(self, res_ids):
        values = super()._prepare_mail_values(res_ids)
        if self.comms_address_id:
            for res_values in values.values():
                res_values["mail_server_id"] = self.comms_address_id.id
        return values

    def _action_send_mail(self, auto_commit=False):
        # the composer has resolved the sender: message_post must not pick another one
        return super(
            MailComposeMessage,
            self.with_context(comms_outgoing_address_resolved=True),
        )._action_send_mail(auto_commit=auto_commit)
