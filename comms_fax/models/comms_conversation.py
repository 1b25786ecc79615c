from odoo import fields, models
from odoo.exceptions import UserError


class CommsConversation(models.Model):
    _inherit = "comms.conversation"

    fax_ids = fields.One2many("comms.fax", "conversation_id")
    fax_count = fields.Integer(string="Faxes", compute="_compute_fax_count")

    def _compute_fax_count(self):
        counts = dict(
            self.env["comms.fax"]._read_group(
                [("conversation_id", "in", self.ids)], ["conversation_id"], ["__count"]
            )
        )
        for conversation in self:
            conversation.fax_count = counts.get(conversation, 0)

    def action_send_fax(self):
        self.ensure_one()
        if not self.group_id.fax_line_id:
            raise UserError(
                self.env._(
                    "%(group)s has no fax line yet: an administrator adds one in "
                    "Configuration ▸ Fax lines.",
                    group=self.group_id.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send fax"),
            "res_model": "comms.fax.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    def action_open_faxes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_fax.comms_fax_action"
        )
        action["domain"] = [("conversation_id", "=", self.id)]
        return action
