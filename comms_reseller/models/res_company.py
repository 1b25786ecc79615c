from odoo import api, fields, models
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

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["comms.call.rule"]._copy_starter_set(companies)
        return companies

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

    # Defaults of the subscriber accounts' limits (issue 11, items 3 and 4);
    # Evatel's defaults for the professional ones.
    comms_default_shared_contacts_limit = fields.Integer(
        string="Shared Contacts", default=100
    )
    comms_default_contacts_limit = fields.Integer(string="Contacts", default=500)
    comms_default_voice_directory_limit = fields.Integer(
        string="Voice Directory", default=500
    )
    comms_default_downloaded_messages_limit = fields.Integer(
        string="Downloaded Messages", default=50
    )
    comms_default_voicemails_limit = fields.Integer(
        string="Voicemails on Disk", default=25
    )
    comms_default_faxes_limit = fields.Integer(string="Faxes on Disk", default=25)
    comms_provisioning_ftp_url = fields.Char(
        string="Provisioning FTP Site",
        help="Where the subscribers' IP phones fetch their configuration; they log "
        "in with the account's CAN and its provisioning security code.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "comms_default_faxes_limit" in vals:
            self._comms_enforce_default_faxes_limit()
        return res

    def _comms_enforce_default_faxes_limit(self):
        """A lower default removes at once the oldest documents of the fax lines
        of the professional accounts following it."""
        # Applies whoever changed the default: the accounts are the reseller's.
        accounts_sudo = (
            self.env["comms.account"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.ids),
                    ("kind", "=", "professional"),
                    ("faxes_limit_override", "=", False),
                ]
            )
        )
        accounts_sudo._enforce_fax_document_limit()

    @api.constrains(
        "comms_default_shared_contacts_limit",
        "comms_default_contacts_limit",
        "comms_default_voice_directory_limit",
        "comms_default_downloaded_messages_limit",
        "comms_default_voicemails_limit",
        "comms_default_faxes_limit",
    )
    def _check_comms_default_limits(self):
        for company in self:
            values = [
                company.comms_default_shared_contacts_limit,
                company.comms_default_contacts_limit,
                company.comms_default_voice_directory_limit,
                company.comms_default_downloaded_messages_limit,
                company.comms_default_voicemails_limit,
                company.comms_default_faxes_limit,
            ]
            if min(values) < 1 or company.comms_default_contacts_limit > 3000:
                raise ValidationError(
                    self.env._(
                        "The default limits of %(company)s must be at least 1, and "
                        "at most 3000 contacts.",
                        company=company.name,
                    )
                )
