from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    comms_card_charge_date = fields.Datetime(
        string="Card Charged On",
        readonly=True,
        copy=False,
        help="When the card on file of the subscriber account was charged for this "
        "invoice (successfully or not): it is never charged again automatically.",
    )

    comms_account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        readonly=True,
        index="btree_not_null",
        help="The subscriber account whose wallet the units packs of this invoice "
        "are credited to (debited for a credit note).",
    )
    comms_auto_buy = fields.Boolean(
        string="Automatic Units Purchase",
        readonly=True,
        copy=False,
        help="Invoiced by the auto-buy of the account's units wallet: while it is "
        "unpaid, no other pack is bought automatically.",
    )
    comms_units_debt_allowed = fields.Boolean(
        string="Record Spent Units as Debt",
        copy=False,
        help="Post this credit note even though the units it takes back were "
        "already spent: the wallet goes below zero and the next purchase pays "
        "that debt first.",
    )

    comms_units_month = fields.Date(
        string="Units Consumed In",
        readonly=True,
        copy=False,
        help="For the monthly entry recognising as revenue the prepaid units "
        "consumed that month: the month's first day.",
    )

    _sql_constraints = [
        (
            "comms_units_month_uniq",
            "UNIQUE(company_id, comms_units_month)",
            "The units consumed in a month are recognised once per company.",
        ),
    ]

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self.filtered(
            lambda move: move.move_type == "out_invoice" and move.comms_account_id
        )._comms_credit_units()
        return res

    def _post(self, soft=True):
        for move in self.filtered("comms_account_id"):
            # Fractional packs are refused now, not when the payment comes.
            for line in move._comms_units_lines():
                line._comms_units()
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.move_type == "out_refund" and move.comms_account_id
        )._comms_take_back_units()
        return posted

    def _comms_units_lines(self):
        return self.invoice_line_ids.filtered("product_id.comms_units_pack")

    def _comms_credit_units(self):
        """Credit the units packs of these paid invoices, once per invoice line
        whatever happens to the payment afterwards (unreconciled and reconciled
        again, paid twice)."""
        for invoice in self:
            # sudo: whoever records the payment (an accountant without rights on
            # subscriber accounts), the units are the client's.
            wallet_sudo = invoice.comms_account_id.sudo()._units_wallet()
            for line in invoice._comms_units_lines():
                wallet_sudo._credit(
                    "purchase",
                    line._comms_units(),
                    source=line,
                    key=f"invoice-line-{line.id}",
                    value=-line.balance,
                )

    def _comms_take_back_units(self):
        """A credit note of a units invoice takes back the units that invoice
        credited; nothing when they were never credited (unpaid invoice)."""
        for refund in self:
            wallet_sudo = refund.comms_account_id.sudo()._units_wallet()
            credited = wallet_sudo._existing_moves_of(
                refund.reversed_entry_id._comms_units_lines()
            )
            if not credited:
                continue
            for line in refund._comms_units_lines():
                wallet_sudo._take_back(
                    line._comms_units(),
                    source=line,
                    key=f"refund-line-{line.id}",
                    allow_debt=refund.comms_units_debt_allowed,
                    value=-line.balance,
                )

    @api.model
    def _comms_units_packs(self, company):
        """The units packs `company` sells."""
        return self.env["product.product"].search(
            [
                ("comms_units_pack", "=", True),
                ("sale_ok", "=", True),
                ("company_id", "in", (False, company.id)),
            ],
            order="comms_units_per_pack, id",
        )

    @api.model
    def _comms_create_units_invoice(self, account, product, quantity, automatic=False):
        """Post an invoice of `quantity` units packs for `account`; its units
        are credited when it is paid (_invoice_paid_hook). `automatic`: bought
        by the wallet's auto-buy."""
        company = account.company_id
        if quantity <= 0:
            raise UserError(self.env._("Buy at least one pack of units."))
        if product not in self._comms_units_packs(company):
            raise UserError(
                self.env._(
                    "%(product)s is not a units pack sold by %(company)s.",
                    product=product.display_name,
                    company=company.name,
                )
            )
        if not company.comms_units_account_id:
            raise UserError(
                self.env._(
                    "%(company)s has no prepaid units account: set it in Settings ▸ "
                    "Reseller before selling units.",
                    company=company.name,
                )
            )
        invoice = self.with_company(company).create(
            dict(
                self._comms_units_invoice_vals(account, product, quantity),
                comms_auto_buy=automatic,
            )
        )
        invoice.action_post()
        units = quantity * product.comms_units_per_pack
        if automatic:
            body = self.env._(
                "Automatic purchase: invoice %(invoice)s for %(units)s units, made "
                "because the units balance fell below the auto-buy level; they are "
                "credited when it is paid.",
                invoice=invoice._get_html_link(),
                units=units,
            )
        else:
            body = self.env._(
                "Invoice %(invoice)s for %(units)s units: they are credited when "
                "it is paid.",
                invoice=invoice._get_html_link(),
                units=units,
            )
        account.message_post(body=body)
        return invoice

    def _comms_is_unpaid(self):
        self.ensure_one()
        return self.state != "cancel" and self.payment_state in ("not_paid", "partial")

    def _comms_auto_buy_dispatch(self):
        """An account paying by card on file is charged by the card cron, in its
        own transaction, and gets the invoice once charged; any other gets it
        by email now."""
        self.ensure_one()
        account_sudo = self.comms_account_id.sudo()
        if account_sudo.payment_mode == "card" and account_sudo.payment_token_id:
            self.env.ref("comms_reseller.ir_cron_charge_card_invoices")._trigger()
            return
        self._comms_queue_sending()

    def _comms_queue_sending(self):
        """Email these invoices through Odoo's invoice sending cron, as the
        Send button does in the background."""
        for invoice in self:
            author = invoice.comms_account_id.sudo().user_id or self.env.ref(
                "base.user_root"
            )
            invoice.sending_data = {
                "author_user_id": author.id,
                "author_partner_id": author.partner_id.id,
            }
        if self:
            self.env.ref("account.ir_cron_account_move_send")._trigger()

    @api.model
    def _comms_units_invoice_vals(self, account, product, quantity):
        company = account.company_id
        return {
            "move_type": "out_invoice",
            "partner_id": account.partner_id.id,
            "company_id": company.id,
            "comms_account_id": account.id,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "account_id": company.comms_units_account_id.id,
                    }
                )
            ],
        }

    # Revenue recognition: units sold are owed to the clients (the prepaid units
    # account) until consumed.

    @api.model
    def _cron_comms_recognise_units(self):
        """One entry per company and past month recognising as revenue the value
        of the bought units consumed that month."""
        today = fields.Date.context_today(self)
        this_month = today.replace(day=1)
        companies = self.env["res.company"].search(
            [
                ("comms_units_account_id", "!=", False),
                ("comms_units_revenue_account_id", "!=", False),
            ]
        )
        for company in companies:
            month = self._comms_first_unrecognised_month(company)
            while month and month < this_month:
                self.with_company(company)._comms_recognise_month(company, month)
                month += relativedelta(months=1)

    @api.model
    def _comms_first_unrecognised_month(self, company):
        last = self.search(
            [("company_id", "=", company.id), ("comms_units_month", "!=", False)],
            order="comms_units_month desc",
            limit=1,
        ).comms_units_month
        if last:
            return last + relativedelta(months=1)
        # sudo: the accountant running this may not read the ledger itself.
        first = (
            self.env["comms.unit.move"]
            .sudo()
            .search(
                [("company_id", "=", company.id), ("kind", "=", "consumption")],
                order="date",
                limit=1,
            )
            .date
        )
        return first and first.date().replace(day=1)

    @api.model
    def _comms_recognise_month(self, company, month):
        """Post the entry of `month`: the bought units consumed, at the average
        value of the bought units not yet consumed (promotional units have no
        value and are never recognised)."""
        end = month + relativedelta(months=1)
        consumed, outstanding, value = self._comms_units_figures(company, end, month)
        recognised = sum(
            self.search(
                [("company_id", "=", company.id), ("comms_units_month", "!=", False)]
            )
            .line_ids.filtered(
                lambda line: line.account_id == company.comms_units_account_id
            )
            .mapped("debit")
        )
        # The value owed before this month's recognition, spread over the units
        # it pays for: those left at the month's end and those consumed in it.
        units_paid_for = outstanding + consumed
        amount = company.currency_id.round(
            (value - recognised) * consumed / units_paid_for if units_paid_for else 0
        )
        if amount <= 0:
            return self.browse()
        label = self.env._(
            "Prepaid units consumed in %(month)s: %(units)s units",
            month=month.strftime("%m/%Y"),
            units=consumed,
        )
        entry = self.create(
            {
                "move_type": "entry",
                "company_id": company.id,
                "date": end - relativedelta(days=1),
                "journal_id": self._comms_misc_journal(company).id,
                "ref": label,
                "comms_units_month": month,
                "line_ids": [
                    fields.Command.create(
                        {
                            "account_id": company.comms_units_account_id.id,
                            "debit": amount,
                            "name": label,
                        }
                    ),
                    fields.Command.create(
                        {
                            "account_id": company.comms_units_revenue_account_id.id,
                            "credit": amount,
                            "name": label,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        return entry

    @api.model
    def _comms_misc_journal(self, company):
        Journal = self.env["account.journal"]
        return Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "general")],
            limit=1,
        )

    @api.model
    def _comms_units_figures(self, company, end, start):
        """(bought units consumed in [start, end), bought units not consumed at
        end, value of the units bought until end net of refunds)."""
        # Raw figures over the company's whole ledger, whoever runs it.
        self.env["comms.unit.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT
                    COALESCE(-SUM(amount - promotional_amount) FILTER (
                        WHERE kind = 'consumption' AND date >= %(start)s), 0),
                    COALESCE(SUM(amount - promotional_amount) FILTER (
                        WHERE kind NOT IN ('reservation', 'release')), 0),
                    COALESCE(SUM(value), 0)
                  FROM comms_unit_move
                 WHERE company_id = %(company)s AND date < %(end)s""",
                start=start,
                end=end,
                company=company.id,
            )
        )
        return self.env.cr.fetchone()

    # Card on file

    @api.model
    def _comms_card_invoices_domain(self):
        """The contract and automatic units invoices of card-on-file accounts
        never charged yet. An invoice charged once, even in vain, is not charged
        again."""
        # The accounts' payment settings are the accountants': read as superuser.
        accounts_sudo = (
            self.env["comms.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("payment_mode", "=", "card")])
        )
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "in", ("draft", "posted")),
            ("payment_state", "in", ("not_paid", "partial")),
            ("comms_card_charge_date", "=", False),
            "|",
            (
                "invoice_line_ids.contract_line_id.contract_id",
                "in",
                accounts_sudo.contract_id.ids,
            ),
            "&",
            ("comms_auto_buy", "=", True),
            ("comms_account_id", "in", accounts_sudo.ids),
        ]

    @api.model
    def _cron_comms_charge_cards(self):
        """Charge one invoice per run (one transaction with the provider per
        database transaction); the cron runs again at once while some are left."""
        domain = self._comms_card_invoices_domain()
        invoice = self.search(domain, order="id", limit=1)
        invoice._comms_charge_card()
        # An automatic units purchase is emailed once charged (paid, or to be
        # paid by the client when the card was refused).
        invoice.filtered("comms_auto_buy")._comms_queue_sending()
        self.env["ir.cron"]._notify_progress(
            done=len(invoice), remaining=self.search_count(domain)
        )

    def _comms_account(self):
        self.ensure_one()
        if self.comms_account_id:
            # The cron's or the accountant's view, as for a contract invoice.
            return self.comms_account_id.sudo().with_context(active_test=False)
        contracts = self.invoice_line_ids.contract_line_id.contract_id
        # The cron's or the accountant's view of the account, whatever its company.
        return (
            self.env["comms.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("contract_id", "in", contracts.ids)], limit=1)
        )

    def _comms_charge_card(self):
        """Post the invoice, use what the client already paid (the quotation's
        payment), and charge the rest to the account's card on file."""
        if not self:
            return
        self.ensure_one()
        account = self._comms_account()
        self.comms_card_charge_date = fields.Datetime.now()
        token = account.payment_token_id
        if not token.active:
            self._comms_schedule_charge_failed(
                account, self.env._("The account has no active card on file.")
            )
            return
        if self.create_date.date() < token.create_date.date():
            self._comms_schedule_charge_failed(
                account,
                self.env._(
                    "The invoice was made before the card was saved: the client "
                    "did not agree to pay it by card."
                ),
            )
            return
        if self.state == "draft":
            self.action_post()
        self._comms_use_outstanding_credits()
        if self.currency_id.is_zero(self.amount_residual):
            return
        tx = self._comms_create_card_transaction(token)
        if not modules.module.current_test:
            # The invoice is marked charged and the transaction recorded before the
            # provider is called: if this transaction were lost afterwards, the
            # card would be charged a second time by the next run.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        try:
            with self.env.cr.savepoint():
                tx._send_payment_request()
        except (UserError, ValidationError) as error:
            tx._set_error(str(error))
        if tx.state == "done":
            tx._post_process()
        elif tx.state in ("error", "cancel"):
            self._comms_schedule_charge_failed(account, tx.state_message)

    def _comms_use_outstanding_credits(self):
        widget = self.invoice_outstanding_credits_debits_widget or {}
        for credit in widget.get("content", []):
            if self.payment_state in ("paid", "in_payment"):
                break
            self.js_assign_outstanding_line(credit["id"])

    def _comms_create_card_transaction(self, token):
        self.ensure_one()
        # Transactions are the payment providers' records, made here for the
        # accountants (Odoo's own offline payments are made the same way).
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": token.provider_id.id,
                    "payment_method_id": token.payment_method_id.id,
                    "token_id": token.id,
                    "operation": "offline",
                    "amount": self.amount_residual,
                    "currency_id": self.currency_id.id,
                    "partner_id": self.partner_id.id,
                    "invoice_ids": [Command.set(self.ids)],
                }
            )
        )

    def _comms_schedule_charge_failed(self, account, reason):
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Card on file not charged"),
            note=self.env._(
                "The card on file of %(account)s could not be charged for this "
                "invoice: %(reason)s The invoice stays open.",
                account=account.display_name,
                reason=reason or "",
            ),
            user_id=(account.user_id or account.create_uid).id,
        )
