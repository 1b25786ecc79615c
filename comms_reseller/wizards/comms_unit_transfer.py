import uuid

from odoo import api, fields, models


class CommsUnitTransfer(models.TransientModel):
    """Transfer units between two subscriber accounts' wallets, irreversibly."""

    _name = "comms.unit.transfer"
    _description = "Transfer Prepaid Units"

    wallet_id = fields.Many2one(
        "comms.unit.wallet", string="From", required=True, readonly=True
    )
    company_id = fields.Many2one(related="wallet_id.company_id")
    transferable_balance = fields.Integer(related="wallet_id.transferable_balance")
    target_wallet_id = fields.Many2one(
        "comms.unit.wallet",
        string="To",
        required=True,
        domain="[('company_id', '=', company_id), ('id', '!=', wallet_id)]",
    )
    units = fields.Integer(required=True, default=1)
    # One key per opened form: submitting it twice transfers once.
    idempotency_key = fields.Char(
        required=True, readonly=True, default=lambda self: str(uuid.uuid4())
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends("units", "wallet_id", "target_wallet_id")
    def _compute_summary(self):
        for wizard in self:
            wizard.summary = self.env._(
                "%(units)s units will leave %(sender)s for %(target)s. A transfer "
                "cannot be undone.",
                units=wizard.units,
                sender=wizard.wallet_id.display_name or "",
                target=wizard.target_wallet_id.display_name or "",
            )

    def action_transfer(self):
        self.ensure_one()
        self.wallet_id.transfer_units(
            self.target_wallet_id.id, self.units, self.idempotency_key
        )
        return self.wallet_id.get_formview_action()
