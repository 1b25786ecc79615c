from odoo import Command, api, fields, models, modules
from odoo.exceptions import UserError, ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    comms_card_charge_date = fields.Datetime(
        string="Card Charged On",
        readonly=True,
        copy=False,
        help="When the card on file of the subscriber account was charged for this "
        "invoice (successfully or not): it is never charged again automatically.",
    )

    @api.model
    def _comms_card_invoices_domain(self):
        """The contract invoices of card-on-file accounts never charged yet. An
        invoice charged once, even in vain, is not charged again."""
        # The accounts' payment settings are the accountants': read as superuser.
        accounts_sudo = (
            self.env["comms.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("payment_mode", "=", "card"), ("contract_id", "!=", False)])
        )
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "in", ("draft", "posted")),
            ("payment_state", "in", ("not_paid", "partial")),
            ("comms_card_charge_date", "=", False),
            (
                "invoice_line_ids.contract_line_id.contract_id",
                "in",
                accounts_sudo.contract_id.ids,
            ),
        ]

    @api.model
    def _cron_comms_charge_cards(self):
        """Charge one invoice per run (one transaction with the provider per
        database transaction); the cron runs again at once while some are left."""
        domain = self._comms_card_invoices_domain()
        invoice = self.search(domain, order="id", limit=1)
        invoice._comms_charge_card()
        self.env["ir.cron"]._notify_progress(
            done=len(invoice), remaining=self.search_count(domain)
        )

    def _comms_account(self):
        self.ensure_one()
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
