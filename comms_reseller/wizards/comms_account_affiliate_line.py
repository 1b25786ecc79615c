from odoo import fields, models

OWNER_MODELS = ("comms.account.user", "comms.group")


class CommsAccountAffiliateLine(models.TransientModel):
    _name = "comms.account.affiliate.line"
    _description = "Extension Proposed on Affiliation"

    wizard_id = fields.Many2one(
        "comms.account.affiliate", required=True, ondelete="cascade"
    )
    name = fields.Char(string="User or Group", required=True)
    # A reference, not a many2one: reseller staff may not read the shared
    # inbox's groups, whose names come in `name`.
    owner_model = fields.Char(required=True)
    owner_id = fields.Many2oneReference(model_field="owner_model", required=True)
    current_extension = fields.Char()
    new_extension = fields.Char(string="Proposed Extension")

    def _owner(self):
        """The user, or the group (a shared inbox record, hence sudo: see
        comms.account._organization_groups_sudo)."""
        self.ensure_one()
        if self.owner_model not in OWNER_MODELS:
            return self.env["comms.account.user"]
        owner = self.env[self.owner_model].browse(self.owner_id)
        return owner.sudo() if self.owner_model == "comms.group" else owner
