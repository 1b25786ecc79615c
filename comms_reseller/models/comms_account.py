import csv
import io
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
        help="Organisation identifier; the CID until affiliations exist.",
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
    last_chance_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the administrator was sent the last-chance email, with the "
        "account's exports, before the anonymisation.",
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

    @api.depends("cid")
    def _compute_orgid(self):
        for account in self:
            account.orgid = account.cid

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

    @api.constrains("payment_mode", "company_id")
    def _check_payment_mode(self):
        for account in self:
            account.company_id._comms_check_payment_mode(account.payment_mode)

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
        if production:
            today = fields.Date.context_today(self)
            production.production_date = today
            production._contract_start(today)
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
        if new_status == "unsubscribed":
            self._unsubscribe(old_status, today)
            return
        if old_status == "unsubscribed":
            self._restore()
        if new_status == "production":
            self.production_date = today
            self._contract_start(today)
        elif old_status == "production":
            self._contract_stop()
        if new_status == "trial" and old_status == "suspended":
            # A new free trial; a restored one goes on with its own dates.
            self.write({"trial_start_date": today, "trial_end_notified": False})

    def action_production(self):
        return self.write({"billing_status": "production"})

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
            paid_until = max(
                account_sudo.contract_id.contract_line_ids.filtered(
                    "last_date_invoiced"
                ).mapped("last_date_invoiced"),
                default=False,
            )
            start = date_start
            if paid_until and paid_until >= start:
                start = paid_until + timedelta(days=1)
            account_sudo.line_ids._contract_line_start(start)

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
        """Replace the personal data of the accounts' users and contacts. Invoices
        are kept, so the customers with invoices keep the name and address the
        invoices need; their contact details go."""
        today = fields.Date.context_today(self)
        Move = self.env["account.move"].sudo()
        for account in self.with_context(active_test=False):
            if account.billing_status != "unsubscribed" or account.anonymised_date:
                continue
            account_users = account.user_ids
            # The subscriber's portal users and contacts are not the reseller
            # staff's records: only the superuser may rewrite them.
            contacts_sudo = account_users.user_id.partner_id.sudo()
            customer_sudo = account.partner_id.sudo()
            # A professional's user is the customer: their name may be needed below.
            customer_name = customer_sudo.name
            for account_user in account_users:
                account_user.write(
                    {
                        "name": self.env._(
                            "Anonymised user %(id)s", id=account_user.id
                        ),
                        "email": f"anonymised-{account_user.id}@anonymised.invalid",
                    }
                )
            invoiced = Move.search(
                [
                    (
                        "commercial_partner_id",
                        "=",
                        customer_sudo.commercial_partner_id.id,
                    )
                ],
                limit=1,
            )
            blank = {
                "email": False,
                "phone": False,
                "mobile": False,
                "website": False,
                "comment": False,
            }
            to_blank = contacts_sudo | customer_sudo | customer_sudo.child_ids
            for partner in to_blank:
                vals = dict(blank)
                if invoiced and partner == customer_sudo:
                    vals["name"] = customer_name
                else:
                    vals.update(
                        {
                            "name": self.env._(
                                "Anonymised contact %(id)s", id=partner.id
                            ),
                            "street": False,
                            "street2": False,
                            "city": False,
                            "zip": False,
                            "function": False,
                        }
                    )
                partner.write(vals)
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
                    "%(users)s user(s), %(contacts)s contact(s). Invoices kept.",
                    days=RETENTION_DAYS,
                    users=len(account_users),
                    contacts=len(to_blank),
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

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
