from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """OCA mail_composer_cc_bcc (for the Send message wizard's Cc and Bcc) makes
        every message written in a composer one email naming all its recipients,
        internal followers included, whatever their notification preference. Only a
        message with a Cc or a Bcc needs that: any other is sent as Odoo sends it."""
        context = self.env.context
        if context.get("is_from_composer") and not (
            context.get("partner_cc_ids") or context.get("partner_bcc_ids")
        ):
            self = self.with_context(is_from_composer=False)
        return super().message_post(**kwargs)
