import uuid

from odoo import fields, models


class CommsUnitCorrection(models.TransientModel):
    """A reseller manager's correction of a wallet: a compensating ledger line,
    or promotional units given."""

    _name = "comms.unit.correction"
    _description = "Correct a Prepaid Units Balance"

    wallet_id = fields.Many2one("comms.unit.wallet", required=True, readonly=True)
    units = fields.Integer(
        required=True, help="Positive to credit units, negative to debit them."
    )
    promotional = fields.Boolean(
        help="Units given free: spent first, never transferred, never recognised "
        "as revenue."
    )
    note = fields.Char(string="Reason", required=True)
    idempotency_key = fields.Char(
        required=True, readonly=True, default=lambda self: str(uuid.uuid4())
    )

    def action_correct(self):
        self.ensure_one()
        self.wallet_id._correct(
            self.units,
            self.note,
            key=self.idempotency_key,
            promotional=self.promotional,
        )
        return self.wallet_id.get_formview_action()
