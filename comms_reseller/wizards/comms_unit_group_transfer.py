import uuid

from odoo import api, fields, models


class CommsUnitGroupTransfer(models.TransientModel):
    """Transfer units to selected members of a group, or top them up to an
    amount, irreversibly, paid by the owner."""

    _name = "comms.unit.group.transfer"
    _description = "Transfer Units to Group Members"

    group_id = fields.Many2one("comms.unit.group", required=True, readonly=True)
    mode = fields.Selection(
        [("transfer", "Transfer"), ("top_up", "Top Up To")],
        required=True,
        default="transfer",
    )
    membership_ids = fields.Many2many(
        "comms.unit.group.member",
        string="Members",
        required=True,
        domain="[('group_id', '=', group_id), ('state', '=', 'active')]",
    )
    units = fields.Integer(required=True, default=1)
    # One key per opened form: submitting it twice transfers once.
    idempotency_key = fields.Char(
        required=True, readonly=True, default=lambda self: str(uuid.uuid4())
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends("mode", "units", "membership_ids")
    def _compute_summary(self):
        for wizard in self:
            wizard.summary = wizard.group_id._transfer_summary(
                wizard.mode, wizard.units, len(wizard.membership_ids)
            )

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "top_up":
            self.group_id._top_up_members(
                self.membership_ids, self.units, self.idempotency_key
            )
        else:
            self.group_id._transfer_to_members(
                self.membership_ids, self.units, self.idempotency_key
            )
        return self.group_id.get_formview_action()
