from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_partner_ids(self, move, mail_template, mail_lang):
        """An automatic units purchase also goes to the account's administrator,
        who set the auto-buy, not only to the invoiced partner."""
        partners = super()._get_default_mail_partner_ids(move, mail_template, mail_lang)
        if move.comms_auto_buy:
            partners |= move.comms_account_id.sudo().admin_user_id.partner_id
        return partners
