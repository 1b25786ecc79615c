import csv
import io
import logging
from datetime import timedelta
from itertools import combinations

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.extension_plan import extensions_clash, propose_extensions

# The only moves of the billing status, besides "any status -> unsubscribed" and
# Restore (unsubscribed -> the status it had, within the retention period).
BILLING_TRANSITIONS = {
    ("trial", "production"),
    ("production", "suspended"),
    ("suspended", "production"),
    ("suspended", "trial"),
}
INITIAL_STATUSES = ("trial", "production")
RETENTION_DAYS = 90
ANONYMISE_BATCH = 100
LAST_CHANCE_DAYS = 7
ANONYMISED_FIELDS = ("name", "partner_id")
_logger = logging.getLogger(__name__)

MIN_EXTENSION_LENGTH = 2
MAX_EXTENSION_LENGTH = 6
MESSAGE_TEMPLATES = {
    "access": "comms_reseller.mail_template_access_codes",
    "statement": "comms_reseller.mail_template_account_statement",
}


class CommsAccount(models.Model):
    _name = "comms.account"
    _description = "Subscriber Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "cid desc, id desc"
    _rec_names_search = ["name", "cid", "can"]
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    active = fields.Boolean(
        compute="_compute_active",
        store=True,
        index=True,
        help="Unsubscribed accounts leave the active lists.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Reseller",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    kind = fields.Selection(
        [("company", "Company"), ("professional", "Professional")],
        required=True,
        default="company",
        index=True,
    )
    cid = fields.Char(
        string="CID",
        readonly=True,
        copy=False,
        index="trigram",
        help="Client identifier, given by the system and never changed.",
    )
    can = fields.Char(
        string="CAN",
        readonly=True,
        copy=False,
        index="trigram",
        help="Billing account number, given by the system and never changed.",
    )
    orgid = fields.Char(
        string="ORGID",
        compute="_compute_orgid",
        store=True,
        index="trigram",
        help="Organisation identifier: the CID of the organization the account is "
        "affiliated to, its own CID otherwise.",
    )
    billing_status = fields.Selection(
        [
            ("trial", "Free Trial"),
            ("production", "Production"),
            ("suspended", "Billing Suspended"),
            ("unsubscribed", "Unsubscribed"),
        ],
        required=True,
        default="trial",
        index=True,
        tracking=True,
        copy=False,
    )
    status_before_unsubscribe = fields.Selection(
        [
            ("trial", "Free Trial"),
            ("production", "Production"),
            ("suspended", "Billing Suspended"),
        ],
        readonly=True,
        copy=False,
    )
    payment_mode = fields.Selection(
        [("invoice", "Monthly Invoice"), ("card", "Card on File")],
        required=True,
        default="invoice",
        tracking=True,
        help="Card on file needs a payment provider of the reseller that saves "
        "cards (tokenization).",
    )
    payment_token_id = fields.Many2one(
        "payment.token",
        string="Card on File",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
        help="The card the client saved when accepting the quotation: the monthly "
        "invoices are charged to it.",
    )
    invoice_trial_days = fields.Integer(
        string="Trial Before First Invoice",
        tracking=True,
        help="Days (15 to 90, or 0 for none) between the first day in production and "
        "the first invoice.",
    )
    first_invoice_date = fields.Date(
        string="Billed From",
        readonly=True,
        copy=False,
        help="The first day billed, set on the first day in production: after the "
        "trial period before the first invoice, if any.",
    )
    quotation_ids = fields.One2many(
        "sale.order", "comms_account_id", string="Quotations"
    )
    quotation_count = fields.Integer(compute="_compute_quotation_count")
    trial_days = fields.Integer(default=30, tracking=True)
    trial_start_date = fields.Date(
        default=fields.Date.context_today, copy=False, tracking=True
    )
    trial_end_date = fields.Date(compute="_compute_trial_end_date", store=True)
    trial_end_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The reseller and the client were told that the free trial ended.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        tracking=True,
        help="The reseller's staff member following the account.",
    )
    production_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the account last went into production; it is billed from then.",
    )
    user_ids = fields.One2many("comms.account.user", "account_id", string="Users")
    user_count = fields.Integer(
        string="Users Count", compute="_compute_user_count", store=True
    )
    admin_user_id = fields.Many2one(
        "res.users",
        string="Administrator",
        compute="_compute_admin_user_id",
        store=True,
        index="btree_not_null",
        help="The portal user of the account's first user.",
    )
    number_ids = fields.One2many("comms.number", "account_id", string="Numbers")
    main_number_id = fields.Many2one(
        "comms.number",
        string="Main Phone Number",
        domain="[('account_id', '=', id)]",
        check_company=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "comms.account.line", "account_id", string="Plan Lines", copy=True
    )
    allowed_product_ids = fields.Many2many(
        "product.template", compute="_compute_allowed_product_ids"
    )
    contract_id = fields.Many2one(
        "contract.contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="account.group_account_invoice",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    unsubscribe_date = fields.Date(readonly=True, copy=False)
    unsubscribe_deadline = fields.Date(
        string="Restorable Until", compute="_compute_unsubscribe_deadline", store=True
    )
    unsubscribe_days_left = fields.Integer(
        string="Days Left", compute="_compute_unsubscribe_days_left"
    )
    anonymised_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the personal data of the unsubscribed account were anonymised.",
    )
    unit_wallet_ids = fields.One2many("comms.unit.wallet", "account_id")
    unit_balance = fields.Integer(
        string="Units", compute="_compute_unit_balance", compute_sudo=True
    )
    units_renewal_date = fields.Date(
        string="Next Renewal in Units",
        compute="_compute_units_renewal",
        compute_sudo=True,
        help="For an account opened with a group owner's units: the day the "
        "owner's units renew its plan (the day its contract bills the next month).",
    )
    units_renewal_state = fields.Selection(
        [("paid", "Paid"), ("grace", "Renewal Due"), ("expired", "Expired")],
        string="Renewal in Units",
        compute="_compute_units_renewal",
        compute_sudo=True,
    )
    units_renewal_membership_id = fields.Many2one(
        "comms.unit.group.member",
        compute="_compute_units_renewal",
        compute_sudo=True,
    )
    last_chance_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the administrator was sent the last-chance email, with the "
        "account's exports, before the anonymisation.",
    )
    # --- Test mode (issue 11, item 7) --------------------------------------
    test_mode = fields.Boolean(
        tracking=True,
        help="Company accounts: the outgoing faxes, texts and emails of the "
        "account's groups are refused, with a message and a log line. Billing "
        "continues.",
    )
    # --- end of test mode ---------------------------------------------------

    # Extensions and affiliation (issue 11)
    extension_length = fields.Integer(
        default=3,
        tracking=True,
        help="The number of digits of new extensions; extensions given before a "
        "change keep theirs.",
    )
    extension_user_start = fields.Integer(string="Users From", default=100)
    extension_user_end = fields.Integer(string="Users To", default=299)
    extension_group_start = fields.Integer(string="Groups From", default=500)
    extension_group_end = fields.Integer(string="Groups To", default=599)
    extension_service_start = fields.Integer(string="Services From", default=700)
    extension_service_end = fields.Integer(string="Services To", default=799)
    organization_id = fields.Many2one(
        "comms.account",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        tracking=True,
        copy=False,
        help="The company account this account is affiliated to: they share one "
        "directory and one extension plan, and are invoiced separately.",
    )
    affiliate_ids = fields.One2many(
        "comms.account", "organization_id", string="Affiliated Accounts"
    )

    _sql_constraints = [
        ("cid_uniq", "UNIQUE(cid)", "The CID must be unique."),
        ("can_uniq", "UNIQUE(can)", "The CAN must be unique."),
        (
            "trial_days_range",
            "CHECK(trial_days BETWEEN 15 AND 90)",
            "A free trial lasts from 15 to 90 days.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_name(self):
        for account in self:
            if not account.name:
                account.name = account.partner_id.name

    @api.depends("billing_status")
    def _compute_active(self):
        for account in self:
            account.active = account.billing_status != "unsubscribed"

    @api.depends("cid", "organization_id.cid")
    def _compute_orgid(self):
        for account in self:
            account.orgid = account.organization_id.cid or account.cid

    @api.depends("trial_start_date", "trial_days")
    def _compute_trial_end_date(self):
        for account in self:
            account.trial_end_date = account.trial_start_date and (
                account.trial_start_date + timedelta(days=account.trial_days)
            )

    @api.depends("user_ids")
    def _compute_user_count(self):
        for account in self:
            account.user_count = len(account.user_ids)

    @api.depends("user_ids.is_admin", "user_ids.user_id")
    def _compute_admin_user_id(self):
        for account in self:
            admin = account.user_ids.filtered("is_admin")[:1]
            account.admin_user_id = admin.user_id

    @api.depends("company_id")
    def _compute_allowed_product_ids(self):
        for account in self:
            account.allowed_product_ids = account.company_id._comms_allowed_products()

    def _compute_quotation_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("comms_account_id", "in", self.ids)],
                ["comms_account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.quotation_count = counts.get(account, 0)

    def _compute_invoice_count(self):
        for account in self:
            account.invoice_count = len(account._get_invoices())

    @api.depends("unsubscribe_date")
    def _compute_unsubscribe_deadline(self):
        for account in self:
            account.unsubscribe_deadline = account.unsubscribe_date and (
                account.unsubscribe_date + timedelta(days=RETENTION_DAYS)
            )

    def _compute_unsubscribe_days_left(self):
        today = fields.Date.context_today(self)
        for account in self:
            account.unsubscribe_days_left = (
                max((account.unsubscribe_deadline - today).days, 0)
                if account.unsubscribe_deadline
                else 0
            )

    @api.depends("unit_wallet_ids.balance")
    def _compute_unit_balance(self):
        for account in self:
            account.unit_balance = account.unit_wallet_ids[:1].balance

    def _compute_units_renewal(self):
        memberships = self.env["comms.unit.group.member"].search(
            [
                ("account_id", "in", self.ids),
                ("state", "=", "active"),
                ("renewal_state", "!=", False),
            ]
        )
        for account in self:
            membership = memberships.filtered(lambda m, a=account: m.account_id == a)
            account.units_renewal_membership_id = membership[:1]
            account.units_renewal_date = membership[:1].renewal_date
            account.units_renewal_state = membership[:1].renewal_state

    @api.constrains("payment_mode", "company_id")
    def _check_payment_mode(self):
        for account in self:
            account.company_id._comms_check_payment_mode(account.payment_mode)

    @api.constrains("invoice_trial_days")
    def _check_invoice_trial_days(self):
        for account in self:
            if (
                account.invoice_trial_days
                and not 15 <= account.invoice_trial_days <= 90
            ):
                raise ValidationError(
                    self.env._(
                        "The trial period before the first invoice of %(account)s "
                        "lasts from 15 to 90 days (or 0 for none), not %(days)s.",
                        account=account.display_name,
                        days=account.invoice_trial_days,
                    )
                )

    @api.constrains("kind", "user_ids")
    def _check_users(self):
        for account in self:
            if account.kind == "professional" and len(account.user_ids) != 1:
                raise ValidationError(
                    self.env._(
                        "The professional account %(account)s must have exactly "
                        "one user.",
                        account=account.display_name,
                    )
                )
            if account.kind == "company" and not account.user_ids:
                raise ValidationError(
                    self.env._(
                        "The company account %(account)s needs at least one user, "
                        "its administrator.",
                        account=account.display_name,
                    )
                )

    def _check_owns_numbers(self, numbers, owner_name):
        """Refuse the numbers of a group or fax line that are not this account's."""
        self.ensure_one()
        foreign = [n for n in numbers if n and n not in self.number_ids.mapped("name")]
        if foreign:
            raise ValidationError(
                self.env._(
                    "%(owner)s belongs to the account %(account)s: its numbers must "
                    "be numbers of that account, not %(numbers)s.",
                    owner=owner_name,
                    account=self.display_name,
                    numbers=", ".join(foreign),
                )
            )

    # Extensions and affiliation

    def _extension_ranges(self):
        """(label, start, end) of the account's three extension ranges."""
        self.ensure_one()
        return [
            (
                self.env._("users"),
                self.extension_user_start,
                self.extension_user_end,
            ),
            (
                self.env._("groups"),
                self.extension_group_start,
                self.extension_group_end,
            ),
            (
                self.env._("services"),
                self.extension_service_start,
                self.extension_service_end,
            ),
        ]

    @api.constrains(
        "extension_length",
        "extension_user_start",
        "extension_user_end",
        "extension_group_start",
        "extension_group_end",
        "extension_service_start",
        "extension_service_end",
    )
    def _check_extension_ranges(self):
        for account in self:
            length = account.extension_length
            if not MIN_EXTENSION_LENGTH <= length <= MAX_EXTENSION_LENGTH:
                raise ValidationError(
                    self.env._(
                        "Extensions have from %(min)s to %(max)s digits, not "
                        "%(length)s.",
                        min=MIN_EXTENSION_LENGTH,
                        max=MAX_EXTENSION_LENGTH,
                        length=length,
                    )
                )
            ranges = account._extension_ranges()
            for label, start, end in ranges:
                if not 10 ** (length - 1) <= start <= end < 10**length:
                    raise ValidationError(
                        self.env._(
                            "The %(range)s range %(start)s–%(end)s must go from a "
                            "lower to a higher extension of %(length)s digits, the "
                            "extension length.",
                            range=label,
                            start=start,
                            end=end,
                            length=length,
                        )
                    )
            for first, second in combinations(ranges, 2):
                if first[1] <= second[2] and second[1] <= first[2]:
                    raise ValidationError(
                        self.env._(
                            "The %(first)s range %(first_start)s–%(first_end)s and "
                            "the %(second)s range %(second_start)s–%(second_end)s "
                            "overlap.",
                            first=first[0],
                            first_start=first[1],
                            first_end=first[2],
                            second=second[0],
                            second_start=second[1],
                            second_end=second[2],
                        )
                    )

    @api.constrains("organization_id", "kind")
    def _check_organization(self):
        for account in self:
            if account.affiliate_ids and account.kind != "company":
                raise ValidationError(
                    self.env._(
                        "%(account)s has affiliated accounts: only a company account "
                        "can be an organization.",
                        account=account.display_name,
                    )
                )
            if account.organization_id:
                account._check_can_join(account.organization_id)
        accounts = self.with_context(active_test=False)
        accounts.user_ids._check_extension_clash()
        accounts._groups_sudo()._check_comms_extension_clash()

    def _check_can_join(self, organization):
        """Refuse an organization this account cannot be affiliated to."""
        self.ensure_one()
        if organization == self:
            raise ValidationError(
                self.env._(
                    "The account %(account)s cannot be affiliated to itself.",
                    account=self.display_name,
                )
            )
        if organization.kind != "company":
            raise ValidationError(
                self.env._(
                    "Only a company account can be an organization: "
                    "%(organization)s is a professional account.",
                    organization=organization.display_name,
                )
            )
        if organization.organization_id:
            raise ValidationError(
                self.env._(
                    "%(organization)s is itself affiliated to %(parent)s: "
                    "affiliate %(account)s to %(parent)s instead.",
                    organization=organization.display_name,
                    parent=organization.organization_id.display_name,
                    account=self.display_name,
                )
            )
        if self.affiliate_ids:
            raise ValidationError(
                self.env._(
                    "%(account)s is the organization of other accounts: it "
                    "cannot be affiliated to another organization.",
                    account=self.display_name,
                )
            )

    def _extension_organization(self):
        """The account whose extension settings apply: the organization, or the
        account itself when it is not affiliated."""
        self.ensure_one()
        return self.organization_id or self

    def _organization_accounts(self):
        """The organization's account and all its affiliated accounts, the
        unsubscribed ones included: their users keep their extensions."""
        organization = self.with_context(active_test=False)._extension_organization()
        return organization | organization.affiliate_ids

    def _organization_users(self):
        return self._organization_accounts().user_ids

    def _organization_groups_sudo(self):
        # The groups are the shared inbox's records, which reseller staff may not
        # read; their extensions are taken all the same.
        return (
            self.env["comms.group"]
            .sudo()
            .with_context(active_test=False)
            .search([("comms_account_id", "in", self._organization_accounts().ids)])
        )

    def _organization_extensions(self):
        """(user or group, extension) of every extension of the organization."""
        taken = [(user, user.extension) for user in self._organization_users()]
        taken += [
            (group, group.comms_extension) for group in self._organization_groups_sudo()
        ]
        return [(owner, extension) for owner, extension in taken if extension]

    def _check_extension_free(self, owner, extension):
        """Refuse the extension of a user or group that clashes with another one
        of the account's organization."""
        self.ensure_one()
        for other, other_extension in self._organization_extensions():
            if other != owner and extensions_clash(extension, other_extension):
                raise ValidationError(
                    self.env._(
                        "The extension %(extension)s of %(owner)s clashes with the "
                        "extension %(other_extension)s of %(other)s: within an "
                        "organization an extension is neither taken twice nor the "
                        "beginning of another.",
                        extension=extension,
                        owner=self._extension_owner_label(owner),
                        other_extension=other_extension,
                        other=self._extension_owner_label(other),
                    )
                )

    def _extension_owner_label(self, owner):
        if owner._name == "comms.group":
            return self.env._(
                "the group %(group)s (%(account)s)",
                group=owner.name,
                account=owner.comms_account_id.display_name,
            )
        return f"{owner.name} ({owner.account_id.display_name})"

    def _lock_extension_plans(self):
        """Serialise the extension changes of these accounts' organizations.

        Odoo runs each request in REPEATABLE READ: a transaction that only waited
        for a row lock would then read the extensions as they were before its
        rival committed. Updating the organization's row makes the rival fail with
        a serialization error instead, which Odoo retries with fresh data.
        """
        organizations = self.browse(
            {account._extension_organization().id for account in self}
        )
        for organization_id in sorted(organizations.ids):
            self.env.cr.execute(
                "UPDATE comms_account SET write_date = write_date WHERE id = %s",
                [organization_id],
            )

    def _extension_proposals(self, organization):
        """{user or group: new extension} for this account's users and groups
        whose extension clashes with one of the organization (and its affiliated
        accounts): the lowest free ones of the organization's ranges."""
        self.ensure_one()
        joining = {*self.user_ids, *self._groups_sudo()}
        staying = [
            extension
            for owner, extension in organization._organization_extensions()
            if owner not in joining
        ]
        users = self.user_ids.sorted(lambda u: (u.sequence, u.id))
        proposals = self._propose(
            users, "extension", staying, organization, self.env._("users")
        )
        staying += [proposals.get(user, user.extension) for user in users]
        proposals.update(
            self._propose(
                self._groups_sudo().sorted("id"),
                "comms_extension",
                staying,
                organization,
                self.env._("groups"),
            )
        )
        return proposals

    def _groups_sudo(self):
        # Shared inbox records: see _organization_groups_sudo.
        return (
            self.env["comms.group"]
            .sudo()
            .with_context(active_test=False)
            .search([("comms_account_id", "in", self.ids)])
        )

    def _propose(self, owners, field_name, staying, organization, range_label):
        start, end = {
            "extension": (
                organization.extension_user_start,
                organization.extension_user_end,
            ),
            "comms_extension": (
                organization.extension_group_start,
                organization.extension_group_end,
            ),
        }[field_name]
        by_id = {owner.id: owner for owner in owners}
        proposals = propose_extensions(
            [(owner.id, owner[field_name]) for owner in owners], staying, start, end
        )
        if None in proposals.values():
            raise UserError(
                self.env._(
                    "The %(range)s range %(start)s–%(end)s of %(organization)s has "
                    "no free extension left for %(account)s: widen it first.",
                    range=range_label,
                    start=start,
                    end=end,
                    organization=organization.display_name,
                    account=self.display_name,
                )
            )
        return {by_id[key]: extension for key, extension in proposals.items()}

    def _affiliate(self, organization, proposals):
        """Affiliate the account to the organization, giving its users and groups
        the proposed extensions; refused when the extensions changed since the
        proposals were made."""
        self.ensure_one()
        (self | organization)._lock_extension_plans()
        if self.organization_id:
            raise UserError(
                self.env._(
                    "%(account)s is already affiliated to %(organization)s: "
                    "unaffiliate it first.",
                    account=self.display_name,
                    organization=self.organization_id.display_name,
                )
            )
        self._check_can_join(organization)
        if self._extension_proposals(organization) != proposals:
            raise UserError(
                self.env._(
                    "The extensions of %(organization)s changed since the proposals "
                    "were made: nothing was changed. Open Affiliate again to see "
                    "new proposals.",
                    organization=organization.display_name,
                )
            )
        changes = []
        for owner, extension in proposals.items():
            field_name = (
                "comms_extension" if owner._name == "comms.group" else "extension"
            )
            changes.append((owner, owner[field_name], extension))
            owner._write_extensions({owner.id: extension})
        self.organization_id = organization
        self._post_affiliation_notes(organization, changes)
        return changes

    def _affiliate_as_proposed(self, organization):
        """Affiliate with the proposals of the moment, as Continue does at once
        after opening Affiliate (demo data, scripts)."""
        self.ensure_one()
        return self._affiliate(organization, self._extension_proposals(organization))

    def _post_affiliation_notes(self, organization, changes):
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(owner)s: %(old)s → %(new)s",
                owner=self._extension_owner_label(owner),
                old=old,
                new=new,
            )
            for owner, old, new in changes
        )
        for account, body in (
            (
                self,
                self.env._(
                    "Affiliated to the organization %(organization)s.",
                    organization=organization.display_name,
                ),
            ),
            (
                organization,
                self.env._(
                    "%(account)s affiliated to this organization.",
                    account=self.display_name,
                ),
            ),
        ):
            account.message_post(
                body=Markup("<p>%s</p>") % body
                + (Markup("<ul>%s</ul>") % lines if changes else ""),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _unaffiliate(self):
        """Leave the organization; the users keep their extensions."""
        self.ensure_one()
        organization = self.organization_id
        if not organization:
            raise UserError(
                self.env._(
                    "%(account)s is not affiliated to an organization.",
                    account=self.display_name,
                )
            )
        (self | organization)._lock_extension_plans()
        self.organization_id = False
        for account, body in (
            (
                self,
                self.env._(
                    "Left the organization %(organization)s.",
                    organization=organization.display_name,
                ),
            ),
            (
                organization,
                self.env._(
                    "%(account)s left this organization.",
                    account=self.display_name,
                ),
            ),
        ):
            account.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )
        return organization

    def action_affiliate(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Affiliate to an Organization"),
            "res_model": "comms.account.affiliate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_unaffiliate(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Unaffiliate"),
            "res_model": "comms.account.unaffiliate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_view_directory(self):
        """The directory of the account's organization: the users of all its
        accounts with their extensions."""
        self.ensure_one()
        organization = self._extension_organization()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Directory of %(organization)s", organization=organization.name
            ),
            "res_model": "comms.account.user",
            "view_mode": "list",
            "views": [
                (self.env.ref("comms_reseller.comms_account_user_view_list").id, "list")
            ],
            "search_view_id": self.env.ref(
                "comms_reseller.comms_account_user_view_search"
            ).id,
            "domain": [("orgid", "=", organization.cid)],
            "context": {"create": False},
        }

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"]
        for vals in vals_list:
            status = vals.get("billing_status", "trial")
            if status not in INITIAL_STATUSES:
                raise UserError(
                    self.env._(
                        "A new account starts in free trial or in production, "
                        "not as %(status)s.",
                        status=self._status_label(status),
                    )
                )
            # The identifiers are always the system's: any given value is ignored.
            vals["cid"] = Sequence.next_by_code("comms.account.cid")
            vals["can"] = Sequence.next_by_code("comms.account.can")
        accounts = super().create(vals_list)
        accounts._units_wallet()
        production = accounts.filtered(lambda a: a.billing_status == "production")
        today = fields.Date.context_today(self)
        for account in production:
            start = account._first_invoice_date(today)
            account.write({"production_date": today, "first_invoice_date": start})
            account._contract_start(start)
        return accounts

    def write(self, vals):
        frozen = {"cid", "can"} & vals.keys()
        if frozen:
            raise UserError(
                self.env._("The CID and the CAN of an account cannot be changed.")
            )
        if "billing_status" not in vals:
            return super().write(vals)
        new_status = vals["billing_status"]
        old_statuses = {account: account.billing_status for account in self}
        changing = self.filtered(lambda a: a.billing_status != new_status)
        if new_status == "unsubscribed":
            # Unsubscribing is what deleting does: the same right.
            changing.check_access("unlink")
        changing._check_transition(new_status)
        res = super().write(vals)
        for account in changing:
            account._apply_transition(old_statuses[account], new_status)
        return res

    def unlink(self):
        """Delete unsubscribes: the account stays restorable for 90 days. Deleting
        an account already unsubscribed removes it, unless it has invoices."""
        self.check_access("unlink")
        to_unsubscribe = self.filtered(lambda a: a.billing_status != "unsubscribed")
        to_unsubscribe.action_unsubscribe()
        return super(CommsAccount, self - to_unsubscribe).unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for account in self:
            if account._get_invoices():
                raise UserError(
                    self.env._(
                        "The account %(account)s has invoices: it cannot be "
                        "deleted, only unsubscribed.",
                        account=account.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_units_ledger(self):
        # sudo: whoever deletes, the ledger of units bought must stay.
        for account in self.sudo().filtered("unit_wallet_ids.move_ids"):
            raise UserError(
                self.env._(
                    "The account %(account)s has a units ledger: it cannot be "
                    "deleted, only unsubscribed.",
                    account=account.display_name,
                )
            )

    # Prepaid units

    def _units_wallet(self):
        """The accounts' units wallets, created the first time."""
        # sudo: a wallet belongs to its account; whoever may use the account
        # uses its wallet, yet nobody creates wallets by hand.
        missing = self.sudo().filtered(lambda account: not account.unit_wallet_ids)
        self.env["comms.unit.wallet"].sudo().create(
            [{"account_id": account.id} for account in missing]
        )
        return self.unit_wallet_ids

    def _units_expired_refusal(self):
        """Why this account may not send while the plan an owner pays for it
        with units is expired; None otherwise."""
        self.ensure_one()
        # sudo: the sender may not read the memberships; only the refusal of
        # this account's own one is read.
        expired_sudo = (
            self.env["comms.unit.group.member"]
            .sudo()
            .search(
                [
                    ("account_id", "=", self.id),
                    ("state", "=", "active"),
                    ("renewal_state", "=", "expired"),
                ],
                limit=1,
            )
        )
        return expired_sudo._units_expired_refusal() if expired_sudo else None

    def action_view_unit_wallet(self):
        self.ensure_one()
        return self._units_wallet().get_formview_action()

    def action_view_unit_group(self):
        """The group the account owns, created the first time."""
        self.ensure_one()
        return self.env["comms.unit.group"]._for_owner(self).get_formview_action()

    # Billing status

    @api.model
    def _status_label(self, status):
        return dict(self._fields["billing_status"]._description_selection(self.env))[
            status
        ]

    def _check_transition(self, new_status):
        today = fields.Date.context_today(self)
        for account in self:
            old_status = account.billing_status
            if (old_status, new_status) == ("trial", "production"):
                account._check_direct_production()
            if new_status == "unsubscribed" or (
                (old_status, new_status) in BILLING_TRANSITIONS
            ):
                continue
            if old_status == "unsubscribed":
                if new_status != account.status_before_unsubscribe:
                    raise UserError(
                        self.env._(
                            "The account %(account)s can only be restored to its "
                            "status before unsubscribing (%(status)s).",
                            account=account.display_name,
                            status=self._status_label(
                                account.status_before_unsubscribe
                            ),
                        )
                    )
                if account.anonymised_date or account.unsubscribe_deadline < today:
                    raise UserError(
                        self.env._(
                            "The account %(account)s was unsubscribed more than "
                            "%(days)s days ago: it cannot be restored.",
                            account=account.display_name,
                            days=RETENTION_DAYS,
                        )
                    )
                continue
            raise UserError(
                self.env._(
                    "The account %(account)s cannot go from %(old)s to %(new)s. "
                    "Allowed: Free Trial to Production, Production to Billing "
                    "Suspended, Billing Suspended to Production or Free Trial, and "
                    "any status to Unsubscribed.",
                    account=account.display_name,
                    old=self._status_label(old_status),
                    new=self._status_label(new_status),
                )
            )

    def _apply_transition(self, old_status, new_status):
        """What a change of billing status does besides changing the status."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if old_status == "suspended":
            self._suspension_close(today, new_status)
        if old_status == "trial":
            self._cancel_open_quotations()
        if new_status == "unsubscribed":
            self._unsubscribe(old_status, today)
            return
        if old_status == "unsubscribed":
            self._restore()
        if new_status == "production":
            start = self._first_invoice_date(today)
            self.production_date = today
            self.first_invoice_date = self.first_invoice_date or start
            self._contract_start(start)
        elif old_status == "production":
            self._contract_stop()
        if new_status == "trial" and old_status == "suspended":
            # A new free trial; a restored one goes on with its own dates.
            self.write({"trial_start_date": today, "trial_end_notified": False})
        if new_status == "suspended":
            self._suspension_open(today)

    # Suspension periods, for the report of the charges the reseller absorbs

    def _suspension_open(self, today):
        self.ensure_one()
        paid_until = self._paid_until()
        # Suspension records are written by the status change only, which the
        # reseller's staff may do; the records themselves are read-only to them.
        self.env["comms.account.suspension"].sudo().create(
            {
                "account_id": self.id,
                "date_suspended": today,
                "date_start": max(today, paid_until + timedelta(days=1))
                if paid_until
                else today,
            }
        )

    def _suspension_close(self, today, new_status):
        self.ensure_one()
        # See _suspension_open.
        self.env["comms.account.suspension"].sudo().search(
            [("account_id", "=", self.id), ("date_end", "=", False)]
        ).write({"date_end": today, "end_status": new_status})

    def action_production(self):
        """Production: a free trial goes through the quotation the client accepts
        (opened, or made from the plan lines); a suspended account goes back."""
        trial = self.filtered(lambda a: a.billing_status == "trial")
        (self - trial).write({"billing_status": "production"})
        if not trial:
            return True
        quotations = trial._quotation_get_or_create()
        return quotations._get_records_action(name=self.env._("Quotations"))

    def action_production_direct(self):
        """Production without the client's online acceptance (e.g. a contract
        signed on paper): a reseller manager's decision."""
        if not self.env.user.has_group("comms_reseller.group_reseller_manager"):
            raise AccessError(
                self.env._(
                    "Only a reseller manager can move an account to production "
                    "without the client accepting its quotation."
                )
            )
        return self.write({"billing_status": "production"})

    def _check_direct_production(self):
        """A free trial goes into production when the client accepts its
        quotation (confirmed as superuser) or by a reseller manager's decision."""
        if self.env.su or self.env.user.has_group(
            "comms_reseller.group_reseller_manager"
        ):
            return
        raise AccessError(
            self.env._(
                "The account %(account)s goes into production when the client "
                "accepts its quotation (Production on the account), or by a reseller "
                "manager's decision.",
                account=self.display_name,
            )
        )

    # Quotation: free trial -> production

    def _quotation_get_or_create(self):
        """The account's open quotation, or a new one made of its plan lines."""
        quotations = self.env["sale.order"]
        for account in self:
            open_quotation = account.quotation_ids.filtered(
                lambda order: order._comms_is_open_quotation()
            )[:1]
            if not open_quotation:
                open_quotation = self.env["sale.order"].create(
                    account._prepare_quotation_vals()
                )
                # The administrator gets the quotation when it is sent, and sees it
                # on the portal.
                open_quotation.message_subscribe(
                    partner_ids=account.admin_user_id.partner_id.ids
                )
            quotations |= open_quotation
        return quotations

    def _prepare_quotation_vals(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "The account %(account)s has no plan line to put on its quotation.",
                    account=self.display_name,
                )
            )
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "comms_account_id": self.id,
            "user_id": (self.user_id or self.env.user).id,
            "order_line": [
                Command.create(line._prepare_order_line_vals())
                for line in self.line_ids
            ],
        }

    def _cancel_open_quotations(self):
        """Out of the free trial, the quotations still open can no longer be
        accepted: the client would be billed twice."""
        # Also when the confirming client or cron is not a salesperson.
        open_quotations_sudo = self.sudo().quotation_ids.filtered(
            lambda order: order.state in ("draft", "sent")
        )
        open_quotations_sudo._action_cancel()

    def action_view_quotations(self):
        self.ensure_one()
        return self.quotation_ids._get_records_action(
            name=self.env._("Quotations"),
            context={"default_comms_account_id": self.id},
        )

    def action_suspend(self):
        return self.write({"billing_status": "suspended"})

    def action_trial(self):
        return self.write({"billing_status": "trial"})

    def action_unsubscribe(self):
        return self.write({"billing_status": "unsubscribed"})

    def action_restore(self):
        for account in self:
            if account.billing_status != "unsubscribed":
                raise UserError(
                    self.env._(
                        "The account %(account)s is not unsubscribed.",
                        account=account.display_name,
                    )
                )
            account.write({"billing_status": account.status_before_unsubscribe})
        return True

    # Lists offer Archive / Unarchive for models with "active": they unsubscribe
    # and restore.
    def action_archive(self):
        return self.filtered("active").action_unsubscribe()

    def action_unarchive(self):
        return self.filtered(lambda a: not a.active).action_restore()

    # Unsubscribe and restore

    def _send_unsubscribe_email(self):
        template = self.env.ref("comms_reseller.mail_template_account_unsubscribed")
        for account in self.filtered("admin_user_id"):
            account.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    # Portal "My subscription"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Statement %(cid)s", cid=self.cid)

    def _portal_can_manage_users(self):
        """Whether the administrator may add and edit users on the portal."""
        self.ensure_one()
        return self.billing_status != "unsubscribed"

    def _portal_save_user(self, account_user_id, values):
        """Add (no id) or edit a user of the account from the portal."""
        self.ensure_one()
        AccountUser = self.env["comms.account.user"]
        if not account_user_id:
            return AccountUser.create(dict(values, account_id=self.id))
        account_user = AccountUser.browse(account_user_id).exists()
        if account_user.account_id != self:
            raise UserError(self.env._("This user is not a user of your account."))
        account_user.write(values)
        return account_user

    # Emails to the administrator

    def _access_link_context(self):
        """A fresh link for the administrator to set their password (Odoo's
        signup token, never a password) and its expiry, for the templates."""
        self.ensure_one()
        admin = self.admin_user_id
        # The portal user's partner is the subscriber's: preparing its signup
        # token is an administrator's operation.
        partner_sudo = admin.partner_id.sudo()
        signup_type = "reset" if admin.login_date else "signup"
        partner_sudo.signup_prepare(signup_type=signup_type)
        key, default = (
            ("auth_signup.reset_password.validity.hours", 4)
            if signup_type == "reset"
            else ("auth_signup.signup.validity.hours", 144)
        )
        hours = int(self.env["ir.config_parameter"].sudo().get_param(key, default))
        url = partner_sudo._get_signup_url_for_action(url="/my/subscription")[
            partner_sudo.id
        ]
        return {
            "comms_signup_url": url,
            "comms_signup_expiry": fields.Datetime.now() + timedelta(hours=hours),
        }

    def _send_welcome_email(self):
        template = self.env.ref("comms_reseller.mail_template_account_welcome")
        for account in self.filtered("admin_user_id"):
            account.with_context(
                **account._access_link_context()
            ).message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    # Support access (OCA impersonate_login)

    def action_access_account(self):
        """Sign in as the account's administrator for support: logged by
        impersonate_login (who, whom, from, to), noted in the chatter and told to
        the client. Only the portal administrators of subscribers, never staff."""
        self.ensure_one()
        admin = self.admin_user_id
        if not admin.active or not admin.share:
            raise UserError(
                self.env._(
                    "The account %(account)s has no active portal administrator to "
                    "access: only the clients' own portal users can be accessed.",
                    account=self.display_name,
                )
            )
        if not self.env.user._is_impersonate_user():
            raise AccessError(
                self.env._(
                    "Accessing a client's account needs the right to impersonate "
                    "users (Settings ▸ Users)."
                )
            )
        action = admin.impersonate_login()
        if not action:
            raise UserError(
                self.env._("An account can only be accessed from the web client.")
            )
        template = self.env.ref("comms_reseller.mail_template_account_accessed")
        self.message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        return action

    def action_send_message(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Message"),
            "res_model": "comms.account.message",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_resend_access_codes(self):
        """Resend: the access codes again, with a fresh set-password link."""
        for account in self:
            account._send_admin_message("access")
        return True

    def _send_admin_message(self, kind, cc=None, bcc=None, subject=None, body=None):
        """Email the administrator through Odoo's composer; Cc and Bcc come from
        OCA mail_composer_cc_bcc."""
        self.ensure_one()
        if not self.admin_user_id.active:
            raise UserError(
                self.env._(
                    "The account %(account)s has no active administrator to write to.",
                    account=self.display_name,
                )
            )
        context = self._access_link_context() if kind == "access" else {}
        values = self._prepare_admin_message_values(kind, cc, bcc, subject, body)
        composer = (
            self.env["mail.compose.message"].with_context(**context).create(values)
        )
        composer._action_send_mail()

    def _prepare_admin_message_values(self, kind, cc, bcc, subject, body):
        Partner = self.env["res.partner"]
        values = {
            "model": self._name,
            "res_ids": self.ids,
            "composition_mode": "comment",
            "message_type": "comment",
            "subtype_id": self.env.ref("mail.mt_comment").id,
            "email_from": self.env.user.email_formatted,
            "author_id": self.env.user.partner_id.id,
            # The recipients are the ones chosen here, whatever the template says.
            "partner_ids": [Command.set(self.admin_user_id.partner_id.ids)],
            "partner_cc_ids": [Command.set((cc or Partner).ids)],
            "partner_bcc_ids": [Command.set((bcc or Partner).ids)],
        }
        if kind in MESSAGE_TEMPLATES:
            values["template_id"] = self.env.ref(MESSAGE_TEMPLATES[kind]).id
        else:
            values.update({"subject": subject, "body": body})
        return values

    def _unsubscribe(self, old_status, today):
        self.ensure_one()
        self.write({"status_before_unsubscribe": old_status, "unsubscribe_date": today})
        # Tell the administrator before their portal access is removed.
        self._send_unsubscribe_email()
        # The portal users are the subscriber's, not the reseller's staff's: only
        # the superuser may archive them.
        users_sudo = self.user_ids.user_id.sudo()
        users_sudo.action_archive()
        self.number_ids._release_from_account()
        self.main_number_id = False
        # The shared inbox's groups are not the reseller staff's records: only the
        # superuser may unlink them from the account.
        groups_sudo = (
            self.env["comms.group"]
            .sudo()
            .with_context(active_test=False)
            .search([("comms_account_id", "=", self.id)])
        )
        groups_sudo.comms_account_id = False
        if old_status == "production":
            self._contract_stop()

    def _restore(self):
        self.ensure_one()
        # Undo the archiving done by _unsubscribe (superuser: see there).
        users_sudo = self.with_context(active_test=False).user_ids.user_id.sudo()
        users_sudo.action_unarchive()
        self.write(
            {
                "status_before_unsubscribe": False,
                "unsubscribe_date": False,
                "last_chance_date": False,
            }
        )

    # Recurring invoicing with OCA contract

    def _get_invoices(self):
        self.ensure_one()
        # Invoices are read through the contract whatever the user's accounting
        # rights: only their number matters here.
        contract_sudo = self.sudo().contract_id
        if not contract_sudo:
            return self.env["account.move"]
        return contract_sudo._get_related_invoices()

    def _prepare_contract_vals(self):
        self.ensure_one()
        return {
            "name": f"{self.cid} {self.name}",
            "code": self.can,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "contract_type": "sale",
            "line_recurrence": True,
            "user_id": self.env.uid,
        }

    def _contract_ensure(self):
        """The account's contract, created on its first day in production."""
        # Contracts are the accountants' records; the reseller's staff drive them
        # through the billing status and the plan lines only.
        for account_sudo in self.sudo().filtered(lambda a: not a.contract_id):
            account_sudo.contract_id = (
                self.env["contract.contract"]
                .sudo()
                .create(account_sudo._prepare_contract_vals())
            )

    def _contract_start(self, date_start):
        """Bill the plan lines monthly from date_start (pre-paid), never for a period
        already invoiced: going back to production bills from that day on."""
        self._contract_ensure()
        for account_sudo in self.sudo():
            paid_until = account_sudo._paid_until()
            start = date_start
            if paid_until and paid_until >= start:
                start = paid_until + timedelta(days=1)
            account_sudo.line_ids._contract_line_start(start)

    def _paid_until(self):
        """The last day already invoiced, False if none."""
        self.ensure_one()
        # Read through the contract whatever the user's accounting rights: only
        # the date matters here.
        return max(
            self.sudo()
            .contract_id.contract_line_ids.filtered("last_date_invoiced")
            .mapped("last_date_invoiced"),
            default=False,
        )

    def _first_invoice_date(self, day):
        """The first day to bill for what starts on day: never within the trial
        period before the first invoice."""
        self.ensure_one()
        first = self.first_invoice_date or day + timedelta(days=self.invoice_trial_days)
        return max(day, first)

    def _contract_stop(self):
        """Stop the recurring invoicing: periods already invoiced run out, nothing
        more is invoiced."""
        self.line_ids._contract_line_stop()

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id.get_formview_action()

    def action_view_invoices(self):
        self.ensure_one()
        return self._get_invoices()._get_records_action(name=self.env._("Invoices"))

    # End of the free trial

    @api.model
    def _cron_notify_trial_ended(self):
        """Tell the account manager (an activity) and the client (an email) that a
        free trial ended, once per trial."""
        accounts = self.search(
            [
                ("billing_status", "=", "trial"),
                ("trial_end_notified", "=", False),
                ("trial_end_date", "<=", fields.Date.context_today(self)),
            ]
        )
        template = self.env.ref("comms_reseller.mail_template_trial_ended")
        for account in accounts:
            account.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=account.trial_end_date,
                summary=self.env._("Free trial ended: move to production?"),
                user_id=(account.user_id or account.create_uid).id,
            )
            if account.admin_user_id:
                account.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
        accounts.trial_end_notified = True

    # Last chance before the anonymisation

    @api.model
    def _cron_send_last_chance(self):
        """Email the administrators of the accounts anonymised within a week their
        account's exports, once per unsubscription."""
        today = fields.Date.context_today(self)
        accounts = self.with_context(active_test=False).search(
            [
                ("billing_status", "=", "unsubscribed"),
                ("anonymised_date", "=", False),
                ("last_chance_date", "=", False),
                (
                    "unsubscribe_deadline",
                    "<=",
                    today + timedelta(days=LAST_CHANCE_DAYS),
                ),
            ]
        )
        template = self.env.ref("comms_reseller.mail_template_account_last_chance")
        for account in accounts.filtered("admin_user_id"):
            account._send_last_chance(template)
        accounts.last_chance_date = today

    def _send_last_chance(self, template):
        """The template's email with the users' CSV beside its PDF statement:
        message_post_with_source would replace the CSV by the template's files."""
        self.ensure_one()
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                }
            )
        )
        composer.attachment_ids += self._users_csv_attachment()
        composer._action_send_mail()

    def _users_csv_attachment(self):
        """The account's users as a CSV file (the PDF statement comes with the
        template)."""
        self.ensure_one()
        columns = {
            "name": self.env._("Name"),
            "email": self.env._("Email"),
            "is_admin": self.env._("Administrator"),
        }
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([self.env._("CID"), self.env._("CAN"), *columns.values()])
        for user in self.with_context(active_test=False).user_ids:
            row = user.export_data(list(columns))["datas"][0]
            writer.writerow([self.cid, self.can, *row])
        return self.env["ir.attachment"].create(
            {
                "name": self.env._("Users %(cid)s.csv", cid=self.cid),
                "raw": buffer.getvalue().encode("utf-8-sig"),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    # Anonymisation after the retention period

    @api.model
    def _cron_anonymise_unsubscribed(self):
        """Anonymise the accounts unsubscribed for more than 90 days, a batch at a
        time; the cron runs again at once while some are left."""
        today = fields.Date.context_today(self)
        domain = [
            ("billing_status", "=", "unsubscribed"),
            ("anonymised_date", "=", False),
            ("unsubscribe_deadline", "<", today),
        ]
        Account = self.with_context(active_test=False)
        accounts = Account.search(domain, limit=ANONYMISE_BATCH, order="id")
        accounts._anonymise()
        remaining = Account.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(accounts), remaining=remaining)

    def _anonymise(self):
        """Replace the personal data of the accounts' users and contacts, and act on
        what Odoo's privacy lookup finds pointing to them (privacy_lookup), logged
        in Odoo's privacy log. Invoices are kept, so the customers with invoices
        keep the name and address the invoices need; their contact details go."""
        today = fields.Date.context_today(self)
        for account in self.with_context(active_test=False):
            if account.billing_status != "unsubscribed" or account.anonymised_date:
                continue
            people_sudo = account._anonymised_people_sudo()
            # Looked up before anything is renamed: the lookup matches names and
            # emails.
            lookups = [
                account._privacy_lookup(person, people_sudo) for person in people_sudo
            ]
            # A professional's user is the customer: renaming the user renames it.
            customer_name = account.partner_id.sudo().name
            account._anonymise_users()
            account._anonymise_partners(people_sudo, customer_name)
            logs = self.env["privacy.log"].sudo()
            for lookup in lookups:
                logs |= lookup._comms_apply(people_sudo)
            unfollowed = account._unfollow_everything(people_sudo)
            logs.additional_note = self.env._(
                "Subscriber account %(cid)s, anonymised %(days)s days after "
                "unsubscribing; %(count)s subscription(s) to documents removed.",
                cid=account.cid,
                days=RETENTION_DAYS,
                count=unfollowed,
            )
            account._anonymise_chatter()
            account.write(
                {
                    "name": self.env._("Anonymised %(cid)s", cid=account.cid),
                    "anonymised_date": today,
                }
            )
            account.message_post(
                body=self.env._(
                    "Personal data anonymised %(days)s days after unsubscribing: "
                    "%(users)s user(s), %(contacts)s contact(s), %(logs)s privacy "
                    "log(s). Invoices kept.",
                    days=RETENTION_DAYS,
                    users=len(account.user_ids),
                    contacts=len(people_sudo),
                    logs=len(logs),
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _anonymised_people_sudo(self):
        """The administrator and users, the customer and its contacts."""
        self.ensure_one()
        # The subscriber's portal users and contacts are not the reseller
        # staff's records: only the superuser may rewrite them.
        customer_sudo = self.partner_id.sudo()
        contacts_sudo = self.user_ids.user_id.partner_id.sudo()
        return contacts_sudo | customer_sudo | customer_sudo.child_ids

    def _privacy_lookup(self, person_sudo, people_sudo):
        # Odoo's privacy lookup is the database administrator's tool.
        lookup_sudo = (
            self.env["privacy.lookup.wizard"]
            .sudo()
            .create(
                {
                    "name": person_sudo.name,
                    # An empty email would match every email of the database.
                    "email": person_sudo.email
                    or f"no-email-{person_sudo.id}@anonymised.invalid",
                }
            )
        )
        lookup_sudo._comms_lookup(people_sudo)
        return lookup_sudo

    def _anonymise_users(self):
        self.ensure_one()
        for account_user in self.user_ids:
            account_user.write(
                {
                    "name": self.env._("Anonymised user %(id)s", id=account_user.id),
                    "email": f"anonymised-{account_user.id}@anonymised.invalid",
                }
            )

    def _anonymise_partners(self, people_sudo, customer_name):
        self.ensure_one()
        customer_sudo = self.partner_id.sudo()
        invoiced = (
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    (
                        "commercial_partner_id",
                        "=",
                        customer_sudo.commercial_partner_id.id,
                    )
                ],
                limit=1,
            )
        )
        blank = dict.fromkeys(("email", "phone", "mobile", "website", "comment"), False)
        for partner in people_sudo:
            if invoiced and partner == customer_sudo:
                partner.write(dict(blank, name=customer_name))
                continue
            partner.write(
                dict(
                    blank,
                    name=self.env._("Anonymised contact %(id)s", id=partner.id),
                    street=False,
                    street2=False,
                    city=False,
                    zip=False,
                    function=False,
                )
            )

    def _unfollow_everything(self, people_sudo):
        """No document keeps notifying the anonymised people."""
        # Followers of documents the reseller's staff may not read.
        followers_sudo = (
            self.env["mail.followers"]
            .sudo()
            .search([("partner_id", "in", people_sudo.ids)])
        )
        count = len(followers_sudo)
        followers_sudo.unlink()
        return count

    def _anonymise_chatter(self):
        """Remove the correspondence with the client and the tracked personal
        values; the history of the billing status stays as the audit log."""
        # Messages and tracking values are written by the superuser: the cron's
        # user may not own them.
        messages_sudo = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", self.ids)])
        )
        messages_sudo.filtered(
            lambda m: m.message_type in ("email", "comment", "email_outgoing")
        ).unlink()
        messages_sudo.exists().tracking_value_ids.filtered(
            lambda t: t.field_id.name in ANONYMISED_FIELDS
        ).unlink()

    # --- Test mode (issue 11, item 7) --------------------------------------
    @api.constrains("test_mode", "kind")
    def _check_test_mode_company(self):
        for account in self.filtered("test_mode"):
            if account.kind != "company":
                raise ValidationError(
                    self.env._(
                        "Only a company account can be put in test mode, not "
                        "%(account)s.",
                        account=account.display_name,
                    )
                )

    def _test_mode_refusal(self, channel, destination):
        """The message refusing to send a fax, text or email (`channel`) to
        `destination` while the account is in test mode; the refusal is logged."""
        self.ensure_one()
        _logger.info(
            "Test mode of the account %s (id %s): %s to %s refused",
            self.display_name,
            self.id,
            channel,
            destination,
        )
        values = {"account": self.display_name, "destination": destination}
        if channel == "fax":
            return self.env._(
                "The account %(account)s is in test mode: the fax to "
                "%(destination)s is not sent.",
                **values,
            )
        if channel == "sms":
            return self.env._(
                "The account %(account)s is in test mode: the text to "
                "%(destination)s is not sent.",
                **values,
            )
        return self.env._(
            "The account %(account)s is in test mode: the email to "
            "%(destination)s is not sent.",
            **values,
        )

    # --- end of test mode ---------------------------------------------------

    # --- Call restrictions (issue 11, item 11) -------------------------------
    def action_view_call_rules(self):
        """The rules deciding for this account: its reseller's system rules and
        its own exceptions; new rules are exceptions of this account."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_reseller.comms_call_rule_action"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            "|",
            ("account_id", "=", False),
            ("account_id", "=", self.id),
        ]
        action["context"] = {
            "default_account_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    # --- end of call restrictions ---------------------------------------------
