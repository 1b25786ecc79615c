from odoo import fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Only the database administrator decides what a reseller may sell: the field
    # is neither readable nor writable by the resellers' staff.
    comms_allowed_product_ids = fields.Many2many(
        "product.template",
        "comms_reseller_company_product_rel",
        "company_id",
        "product_tmpl_id",
        string="Plans and Options Allowed",
        domain=[("comms_kind", "!=", False)],
        groups="base.group_system",
        help="The plans and options this reseller may put on its subscriber accounts.",
    )

    comms_units_account_id = fields.Many2one(
        "account.account",
        string="Prepaid Units Account",
        domain=[("account_type", "=", "liability_current")],
        check_company=True,
        help="The liability (deferred revenue) account the units packs are "
        "invoiced to: units sold are owed to the client until they are used.",
    )
    comms_units_revenue_account_id = fields.Many2one(
        "account.account",
        string="Units Revenue Account",
        domain=[("account_type", "in", ("income", "income_other"))],
        check_company=True,
        help="Each month, the value of the units consumed moves from the prepaid "
        "units account to this income account.",
    )
    comms_units_per_fax_page = fields.Integer(
        string="Units per Fax Page",
        default=0,
        help="Units charged for each page of a fax sent by the groups of the "
        "subscriber accounts. 0: faxes are not paid in units.",
    )
    comms_units_per_sms_segment = fields.Integer(
        string="Units per Text Segment",
        default=0,
        help="Units charged for each segment of a text sent by the groups of the "
        "subscriber accounts. 0: texts are not paid in units.",
    )

    _sql_constraints = [
        (
            "comms_units_prices_positive",
            "CHECK(comms_units_per_fax_page >= 0 AND comms_units_per_sms_segment >= 0)",
            "Usage cannot be priced in negative units.",
        ),
    ]

    def _comms_allowed_products(self):
        # The reseller's staff cannot read the list, yet it decides what they may
        # put on an account.
        companies_sudo = self.sudo()
        return companies_sudo.comms_allowed_product_ids.sudo(False)

    def _comms_card_provider(self):
        """A payment provider of the reseller able to keep a card on file."""
        self.ensure_one()
        # Providers are the accountants' configuration; only their existence
        # matters here.
        return (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.id),
                    ("state", "in", ("enabled", "test")),
                    ("allow_tokenization", "=", True),
                ],
                limit=1,
            )
        )

    def _comms_check_payment_mode(self, payment_mode):
        for company in self:
            if payment_mode == "card" and not company._comms_card_provider():
                raise ValidationError(
                    self.env._(
                        "%(company)s has no payment provider saving cards: the "
                        "account can only be paid by monthly invoice.",
                        company=company.name,
                    )
                )
