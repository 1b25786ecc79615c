from odoo import fields, models


class CommsConversationIgnore(models.TransientModel):
    _name = "comms.conversation.ignore"
    _description = "Ignore conversations, with a reason"

    conversation_ids = fields.Many2many("comms.conversation", required=True)
    reason = fields.Text(
        required=True, help="Kept on the conversation; the customer is not told."
    )

    def action_ignore(self):
        # sudo: every conversation the wizard holds, also those the user cannot see
        conversations = self.env["comms.conversation"]._handled_by_user(
            self.sudo().conversation_ids.ids
        )
        conversations._ignore(self.reason)
        return {"type": "ir.actions.act_window_close"}
