from odoo import api, fields, models


class CommsConversationTransfer(models.TransientModel):
    _name = "comms.conversation.transfer"
    _description = "Transfer conversations to another member"

    conversation_ids = fields.Many2many("comms.conversation", required=True)
    allowed_user_ids = fields.Many2many(
        "res.users", compute="_compute_allowed_user_ids"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Transfer to",
        required=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )

    @api.depends("conversation_ids")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            members = wizard.conversation_ids.group_id.user_ids
            for group in wizard.conversation_ids.group_id:
                members &= group.user_ids
            wizard.allowed_user_ids = members

    def action_transfer(self):
        # sudo: every conversation the wizard holds, also those the user cannot see
        conversations = self.env["comms.conversation"]._handled_by_user(
            self.sudo().conversation_ids.ids
        )
        conversations._transfer_to(self.user_id)
        return {"type": "ir.actions.act_window_close"}
