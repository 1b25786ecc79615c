from odoo import api, fields, models
from odoo.exceptions import UserError

MOVE_KINDS = [
    ("purchase", "Purchase"),
    ("promotional", "Promotional"),
    ("transfer_in", "Transfer In"),
    ("transfer_out", "Transfer Out"),
    ("consumption", "Consumption"),
    ("reservation", "Reservation"),
    ("release", "Release"),
    ("refund", "Refund"),
    ("correction", "Correction"),
]


class CommsUnitMove(models.Model):
    """One line of the append-only units ledger: a wallet's balance is the sum
    of its lines. Lines are written by the wallet's movement methods only and
    never changed or deleted; a mistake is undone by a compensating line."""

    _name = "comms.unit.move"
    _description = "Prepaid Units Ledger Line"
    _order = "id desc"
    _rec_name = "kind"

    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    wallet_id = fields.Many2one(
        "comms.unit.wallet",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    # Copied at creation, not related: a ledger line never changes.
    account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", string="Reseller", readonly=True, index=True
    )
    group_id = fields.Many2one(
        "comms.unit.group",
        string="Owner Group",
        readonly=True,
        index=True,
        help="The group this movement counts for in the reports: the group of "
        "the owner a transfer comes from or goes to, else the group the account "
        "owns, else the group it is a member of.",
    )
    kind = fields.Selection(MOVE_KINDS, required=True, readonly=True, index=True)
    amount = fields.Integer(
        string="Units",
        required=True,
        readonly=True,
        aggregator="sum",
        help="Positive for a credit, negative for a debit.",
    )
    promotional_amount = fields.Integer(
        string="Promotional Units",
        readonly=True,
        aggregator="sum",
        help="The part of the units that were given free.",
    )
    balance_after = fields.Integer(readonly=True, aggregator=None)
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(
        readonly=True,
        help="For units bought or refunded: their price before taxes, in the "
        "reseller's currency. The value of the units not consumed yet is what "
        "the prepaid units account owes.",
    )
    source_ref = fields.Reference(
        selection="_selection_source_models",
        string="Source Document",
        readonly=True,
    )
    counterpart_wallet_id = fields.Many2one(
        "comms.unit.wallet",
        string="Transferred With",
        readonly=True,
        ondelete="restrict",
        help="For a transfer: the other wallet.",
    )
    user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    idempotency_key = fields.Char(
        readonly=True,
        help="The request this line answers: the same request retried is applied once.",
    )
    note = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "UNIQUE(wallet_id, idempotency_key)",
            "This request was already applied to the wallet.",
        ),
        (
            "amount_not_zero",
            "CHECK(amount <> 0)",
            "A ledger line moves at least one unit.",
        ),
    ]

    @api.model
    def _selection_source_models(self):
        model_names = [
            "account.move.line",
            "comms.fax",
            "sms.sms",
            "comms.unit.move",
            "comms.account",
        ]
        return [
            (model, self.env[model]._description)
            for model in model_names
            if model in self.env
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("comms_unit_ledger"):
            raise UserError(
                self.env._(
                    "Ledger lines are written by the wallet's movements only: "
                    "purchases, transfers, usage and corrections."
                )
            )
        wallets = self.env["comms.unit.wallet"].browse(
            [vals["wallet_id"] for vals in vals_list]
        )
        for vals, wallet in zip(vals_list, wallets, strict=True):
            vals["account_id"] = wallet.account_id.id
            vals["company_id"] = wallet.company_id.id
        return super().create(vals_list)

    def write(self, vals):
        self._raise_append_only()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "The units ledger cannot be deleted from: add a correction line "
                "instead."
            )
        )

    def _raise_append_only(self):
        raise UserError(
            self.env._(
                "The units ledger cannot be changed: add a correction line instead."
            )
        )

    def _replayed_transfer(self, target, units):
        """The first result of a transfer retried with the same key, refused
        when the retry asks for something else."""
        debit = self.filtered(lambda move: move.kind == "transfer_out")
        if (
            len(debit) != 1
            or debit.counterpart_wallet_id != target
            or debit.amount != -units
        ):
            raise UserError(
                self.env._(
                    "The idempotency key %(key)s was already used for another "
                    "movement of this wallet.",
                    key=self[:1].idempotency_key,
                )
            )
        return debit
