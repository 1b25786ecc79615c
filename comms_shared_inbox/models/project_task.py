from odoo import models


class ProjectTask(models.Model):
    _inherit = "project.task"

    def message_post(self, **kwargs):
        if self._comms_needs_default_address(kwargs):
            address, _source = self.env["ir.mail_server"]._comms_default_address(
                self.env.user, self._name, self.id
            )
            if address:
                kwargs["mail_server_id"] = address.id
                kwargs.setdefault("author_id", self.env.user.partner_id.id)
        return super().message_post(**kwargs)

    def _comms_needs_default_address(self, kwargs):
        """Only messages the current user writes to customers from the chatter, when
        neither the composer nor the caller has already chosen a server."""
        if len(self) != 1 or kwargs.get("mail_server_id"):
            return False
        if self.env.context.get("comms_outgoing_address_resolved"):
            return False
        if kwargs.get("message_type", "notification") != "comment":
            return False
        author_id = kwargs.get("author_id")
        if author_id and author_id != self.env.user.partner_id.id:
            return False
        comment = self.env.ref("mail.mt_comment")
        return (
            kwargs.get("subtype_xmlid") == "mail.mt_comment"
            or kwargs.get("subtype_id") == comment.id
        )
