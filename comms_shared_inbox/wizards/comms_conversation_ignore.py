from odoo import fields, models


class CommsConversationIgnore(models.TransientModel):
    _name = "comms.conversation.ignore"
    _description = "Ignore conversations, with a reason"

    conversation_ids = fields.Many2many("comms.conversation", required=True)
    reason = fields.Text(
        required=True, help="Kept on the conversation; the customer is not told."
    )

    def action_ignore(self):
        self.conversation_ids._ignore(self.reason)
        return {"type": "ir.actions.act_window_close"}
