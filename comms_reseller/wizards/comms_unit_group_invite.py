import uuid

from odoo import api, fields, models


class CommsUnitGroupInvite(models.TransientModel):
    """Invite a subscriber to an owner's group by email, or, when nobody has
    the address, open an account for them paid with the owner's units."""

    _name = "comms.unit.group.invite"
    _description = "Invite to a Units Group"

    group_id = fields.Many2one("comms.unit.group", required=True, readonly=True)
    company_id = fields.Many2one(related="group_id.company_id")
    email = fields.Char(required=True)
    is_subscriber = fields.Boolean(compute="_compute_is_subscriber")
    name = fields.Char(string="Name of the New Account")
    plan_id = fields.Many2one(
        "product.product",
        domain="[('comms_kind', '=', 'plan'), ('comms_units_price', '>', 0), "
        "('company_id', 'in', [company_id, False])]",
    )
    units_price = fields.Integer(related="plan_id.comms_units_price")
    # One key per opened form: submitting it twice creates one account.
    idempotency_key = fields.Char(
        required=True, readonly=True, default=lambda self: str(uuid.uuid4())
    )

    @api.depends("email", "group_id")
    def _compute_is_subscriber(self):
        for wizard in self:
            wizard.is_subscriber = bool(
                wizard.email
                and "@" in wizard.email
                and wizard.group_id._subscriber_by_email(wizard.email)
            )

    def action_invite(self):
        self.ensure_one()
        if self.group_id._invite(self.email):
            return self.group_id.get_formview_action()
        self.group_id._create_member_account(
            self.name, self.email, self.plan_id, self.idempotency_key
        )
        return self.group_id.get_formview_action()
