from odoo import api, fields, models


class CommsAccountSuspension(models.Model):
    """A period during which the account's billing was suspended: the client kept
    using everything and the reseller absorbed the plan lines' fees from the first
    day not invoiced to the day the account left the suspension."""

    _name = "comms.account.suspension"
    _description = "Billing Suspension Period"
    _order = "date_suspended desc, id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "comms.account",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, string="Reseller"
    )
    date_suspended = fields.Date(string="Suspended On", required=True, readonly=True)
    date_start = fields.Date(
        string="Absorbed From",
        required=True,
        readonly=True,
        help="The first day not invoiced: a period invoiced in advance before the "
        "suspension runs out first.",
    )
    date_end = fields.Date(
        string="Ended On",
        readonly=True,
        help="The day the account left the suspension (back in production, a new "
        "free trial or unsubscribed); empty while it lasts.",
    )
    end_status = fields.Selection(
        [
            ("trial", "Free Trial"),
            ("production", "Production"),
            ("unsubscribed", "Unsubscribed"),
        ],
        string="Ended With",
        readonly=True,
    )

    @api.depends("account_id", "date_suspended")
    def _compute_display_name(self):
        for suspension in self:
            suspension.display_name = self.env._(
                "%(account)s suspended on %(date)s",
                account=suspension.account_id.display_name,
                date=suspension.date_suspended,
            )
