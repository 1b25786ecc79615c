from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    comms_conversation_ids = fields.One2many("comms.conversation", "partner_id")
    comms_conversation_count = fields.Integer(
        string="Conversations", compute="_compute_comms_conversation_count"
    )

    def _compute_comms_conversation_count(self):
        counts = dict(
            self.env["comms.conversation"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.comms_conversation_count = counts.get(partner, 0)

    def action_open_comms_conversations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_conversation_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_open_comms_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_message_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        return action
