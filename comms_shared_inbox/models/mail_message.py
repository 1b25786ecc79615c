from odoo import api, models

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        self._comms_apply_outgoing_addresses(vals_list)
        return super().create(vals_list)

    @api.model
    def _comms_apply_outgoing_addresses(self, vals_list):
        """A message sent through an outgoing address leaves From that address; the
        current user must be allowed to use it on this record (also over RPC).
        Superuser code (incoming mail, queue) is checked when the mail is sent."""
        server_ids = {
            vals["mail_server_id"] for vals in vals_list if vals.get("mail_server_id")
        }
        if not server_ids:
            return
        # sudo: ir.mail_server is admin-only; the check below decides for the user
        addresses_sudo = (
            self.env["ir.mail_server"]
            .sudo()
            .browse(server_ids)
            .filtered("comms_is_address")
        )
        for vals in vals_list:
            address = addresses_sudo.filtered(
                lambda a, v=vals: a.id == v.get("mail_server_id")
            )
            if not address:
                continue
            if not self.env.su:
                address._comms_check_usable(
                    self.env.user, vals.get("model"), vals.get("res_id")
                )
            vals["email_from"] = address._comms_formatted_from()

    def _to_store(self, store: Store, /, **kwargs):
        super()._to_store(store, **kwargs)
        conversation_messages = self.filtered(lambda m: m.model == "comms.conversation")
        if not conversation_messages:
            return
        # sudo: the log row of a message the user reads (channel, pages)
        logs = (
            self.env["comms.message"]
            .sudo()
            .search([("mail_message_id", "in", conversation_messages.ids)])
        )
        for log in logs:
            store.add(
                log.mail_message_id,
                {
                    "comms_channel": log.channel,
                    "comms_direction": log.direction,
                    "comms_page_count": log.page_count,
                },
            )
