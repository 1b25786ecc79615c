import logging

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

# Balance fields only the ledger changes, under the wallet's row lock.
LEDGER_FIELDS = {"balance", "promotional_balance", "low_balance_notified"}
# The debits after which the wallet may buy a pack automatically: what is sent
# (reserved or consumed) and what leaves it (transfers, automatic top-ups).
AUTO_BUY_KINDS = {"consumption", "reservation", "transfer_out"}
AUTO_BUY_FIELDS = ["auto_buy", "auto_buy_product_id", "auto_buy_below", "auto_buy_cap"]
# The first key of the advisory locks a transfer queues on (see _wait_for_turn),
# "comm" in ASCII: it keeps them apart from other applications' advisory locks.
TURN_LOCK_SPACE = 0x636F6D6D
PG_INTEGER_MAX = 2**31 - 1


class CommsUnitWallet(models.Model):
    _name = "comms.unit.wallet"
    _description = "Prepaid Units Wallet"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_names_search = ["account_id"]
    _check_company_auto = True

    account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, string="Reseller"
    )
    balance = fields.Integer(
        readonly=True,
        help="Units left: the sum of the wallet's ledger lines. Negative when a "
        "credit note took back units already spent: the next purchase pays "
        "that debt first.",
    )
    promotional_balance = fields.Integer(
        string="Promotional Units",
        readonly=True,
        help="The part of the balance given free: spent first, never transferred.",
    )
    transferable_balance = fields.Integer(
        string="Transferable Units", compute="_compute_transferable_balance"
    )
    low_balance_threshold = fields.Integer(
        default=0,
        tracking=True,
        help="When the balance falls below this number of units, the account's "
        "administrator is emailed once, until the balance is back above it. 0: "
        "never.",
    )
    low_balance_notified = fields.Boolean(readonly=True, copy=False)
    move_ids = fields.One2many("comms.unit.move", "wallet_id", string="Ledger")

    auto_buy = fields.Boolean(
        string="Auto-buy",
        tracking=True,
        help="When a movement leaves the balance below “Buy Below”, one pack is "
        "invoiced automatically (charged to the card on file, or sent to the "
        "client); its units are credited when it is paid.",
    )
    auto_buy_product_id = fields.Many2one(
        "product.product",
        string="Pack to Buy",
        tracking=True,
        domain="[('comms_units_pack', '=', True), ('sale_ok', '=', True), "
        "('company_id', 'in', (False, company_id))]",
    )
    auto_buy_below = fields.Integer(
        string="Buy Below",
        tracking=True,
        help="The balance, in units, below which a pack is bought.",
    )
    auto_buy_cap = fields.Integer(
        string="Automatic Purchases per Month",
        tracking=True,
        help="The most packs bought automatically in a calendar month: a runaway "
        "sender cannot buy forever.",
    )
    auto_buy_issue = fields.Char(
        string="Auto-buy Stopped",
        readonly=True,
        copy=False,
        help="Why the last automatic purchase was not made; cleared by the next one.",
    )

    _sql_constraints = [
        (
            "account_uniq",
            "UNIQUE(account_id)",
            "A subscriber account has one units wallet.",
        ),
        (
            "threshold_positive",
            "CHECK(low_balance_threshold >= 0)",
            "The low balance threshold cannot be negative.",
        ),
        (
            "auto_buy_positive",
            "CHECK(auto_buy_below >= 0 AND auto_buy_cap >= 0)",
            "The auto-buy balance and monthly cap cannot be negative.",
        ),
    ]

    @api.depends("balance", "promotional_balance")
    def _compute_transferable_balance(self):
        for wallet in self:
            wallet.transferable_balance = max(
                wallet.balance - wallet.promotional_balance, 0
            )

    @api.constrains(*AUTO_BUY_FIELDS)
    def _check_auto_buy(self):
        # sudo: a product of another reseller, unreadable to the user setting
        # it, must be refused by name rather than read as no product.
        for wallet in self.sudo().filtered("auto_buy"):
            error = wallet._auto_buy_settings_error()
            if error:
                raise ValidationError(error)

    def _auto_buy_settings_error(self):
        self.ensure_one()
        product = self.auto_buy_product_id
        if not product:
            return self.env._("Auto-buy needs the units pack to buy.")
        packs = self.env["account.move"]._comms_units_packs(self.company_id)
        if product not in packs:
            return self.env._(
                "%(product)s is not a units pack sold by %(company)s: choose "
                "another pack to buy automatically.",
                product=product.display_name,
                company=self.company_id.name,
            )
        if self.auto_buy_below <= 0:
            return self.env._("Auto-buy needs a balance to buy below: at least 1 unit.")
        if self.auto_buy_cap <= 0:
            return self.env._(
                "Auto-buy needs a monthly cap: at least one purchase a month."
            )
        return None

    @api.depends("account_id")
    def _compute_display_name(self):
        for wallet in self:
            wallet.display_name = wallet.account_id.display_name

    def write(self, vals):
        if LEDGER_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "A wallet's balance only changes through its ledger: purchases, "
                    "transfers, usage and corrections."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Movements: the only way units come and go
    # ------------------------------------------------------------------

    def _lock_for_movement(self):
        """Lock these wallets' rows, in id order, until the end of the
        transaction, and return them with fresh balances.

        Every movement goes through here before it checks a balance: two
        movements on the same wallet are serialised, and taking the locks in id
        order means two transfers in opposite directions cannot deadlock. A
        concurrent movement committed after this transaction's snapshot makes
        PostgreSQL raise a serialization failure, which Odoo retries (transfers
        over the API wait for their turn first instead: _wait_for_turn)."""
        if not self:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM comms_unit_wallet WHERE id IN %s ORDER BY id "
            "FOR NO KEY UPDATE",
            [tuple(self.ids)],
        )
        self.invalidate_recordset(LEDGER_FIELDS)
        self.fetch(list(LEDGER_FIELDS))
        return self

    def _wait_for_turn(self, wallet_ids):
        """Before a transaction that starts with a transfer reads anything,
        wait until no other such transfer holds these wallets, and keep them
        until this transaction ends.

        Under REPEATABLE READ, a movement that waits for a wallet's row lock
        then finds the wallet changed by the transaction it waited for: it
        fails with a serialization error, and Odoo retries it after sleeping
        up to two seconds in the worker. A transfer called over the external
        API starts its transaction: it queues instead on advisory locks held
        by a side transaction, in id order, so its snapshot, taken once its
        turn comes, already sees the transfer before it. The row locks of
        _lock_for_movement still guard every balance against every other
        movement; the turn only spares transfers the retries."""
        cr = self.env.cr
        # Ids no wallet can have are left to the checks that name them.
        wallet_ids = sorted({i for i in wallet_ids if 0 < i <= PG_INTEGER_MAX})
        idle = cr.connection.info.transaction_status == TRANSACTION_STATUS_IDLE
        if not (wallet_ids and idle):
            return
        turn_cr = self.env.registry.cursor()
        try:
            # Only who may move units queues for wallets. Checked on the side
            # cursor: a query on this one would take the snapshot now.
            self.env(cr=turn_cr)[self._name].check_access("write")
            # unnest() yields the ids in the array's order, so in id order.
            turn_cr.execute(
                "SELECT pg_advisory_xact_lock(%s, wallet_id) "
                "FROM unnest(%s::integer[]) AS wallet_id",
                [TURN_LOCK_SPACE, wallet_ids],
            )
        except Exception:
            turn_cr.close()
            raise
        cr.postcommit.add(turn_cr.close)
        cr.postrollback.add(turn_cr.close)

    def _existing_moves(self, idempotency_key):
        if not idempotency_key:
            return self.env["comms.unit.move"]
        # sudo: the ledger is read whole to find a retry, whoever asks.
        return (
            self.env["comms.unit.move"]
            .sudo()
            .search(
                [
                    ("wallet_id", "in", self.ids),
                    ("idempotency_key", "=", idempotency_key),
                ]
            )
        )

    def _post_movement(self, kind, units, source=None, key=None, **values):
        """Write one ledger line on this locked wallet and move its balance.

        `units` is signed: positive credits, negative debits. Debits spend the
        promotional units first; `promotional` (in values) forces the
        promotional part of the line, for promotional credits and the release
        of a reservation. The caller checked the balance under the lock."""
        self.ensure_one()
        promotional = values.pop("promotional", None)
        top_ups_sudo = values.pop("top_ups_sudo", None)
        group = values.pop("group", None)
        if group is None:
            group = self._ledger_groups()[self]
        if promotional is None:
            promotional = -min(self.promotional_balance, -units) if units < 0 else 0
        balance_after = self.balance + units
        # sudo: the ledger is create-only through this method; nobody has the
        # right to create lines directly.
        move_sudo = (
            self.env["comms.unit.move"]
            .sudo()
            .with_context(comms_unit_ledger=True)
            .create(
                {
                    "wallet_id": self.id,
                    "kind": kind,
                    "amount": units,
                    "promotional_amount": promotional,
                    "balance_after": balance_after,
                    "group_id": group.id,
                    "source_ref": source and f"{source._name},{source.id}",
                    "idempotency_key": key,
                    "user_id": self.env.uid,
                    **values,
                }
            )
        )
        was_low = self.low_balance_notified
        # mail_notrack: no balance field is tracked, and sparing the tracking
        # bookkeeping keeps the wallet's lock short.
        self.sudo().with_context(mail_notrack=True).write(
            {
                "balance": balance_after,
                "promotional_balance": self.promotional_balance + promotional,
            }
        )
        if top_ups_sudo:
            self._auto_top_up(top_ups_sudo, move_sudo)
        self._check_low_balance(was_low)
        if units < 0 and kind in AUTO_BUY_KINDS:
            self._auto_buy()
        return move_sudo.sudo(False)

    def _auto_top_up_memberships_sudo(self):
        # sudo: the member's consumption tops it up from its owner's units,
        # whom the sender may not read.
        return (
            self.env["comms.unit.group.member"]
            .sudo()
            .search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("state", "=", "active"),
                    ("keep_at_units", ">", 0),
                ]
            )
        )

    def _ledger_groups(self):
        """The owner group a movement of each of these wallets counts for,
        when they move units together (one wallet, or a transfer's two
        sides): the group its account owns, else the group the other side
        owns, else the account's first group."""
        accounts = self.account_id
        # sudo: the sender of a fax may read neither groups nor memberships.
        Group = self.env["comms.unit.group"].sudo()
        owned = Group.search([("owner_account_id", "in", accounts.ids)])
        owned_by = {group.owner_account_id: group for group in owned}
        first_group_of = {}
        if not owned:
            memberships = (
                self.env["comms.unit.group.member"]
                .sudo()
                .search(
                    [("account_id", "in", accounts.ids), ("state", "=", "active")],
                    order="join_date, id",
                )
            )
            for membership in memberships:
                first_group_of.setdefault(membership.account_id, membership.group_id)
        return {
            wallet: owned_by.get(wallet.account_id)
            or owned[:1]
            or first_group_of.get(wallet.account_id, Group)
            for wallet in self
        }

    def _lock_for_consumption(self):
        """Lock this wallet with the wallets of the owners who keep it topped
        up, in id order, and return those memberships: a consumption may top
        this member up from them, and a transfer from an owner to this member
        cannot deadlock with it."""
        top_ups_sudo = self._auto_top_up_memberships_sudo()
        owners_sudo = top_ups_sudo.group_id.owner_account_id
        (self | self.browse(owners_sudo._units_wallet().ids))._lock_for_movement()
        return top_ups_sudo

    def _auto_top_up(self, memberships_sudo, consumption):
        """The groups keeping this member at a number of units top it up."""
        for membership_sudo in memberships_sudo:
            if self.balance < membership_sudo.keep_at_units:
                membership_sudo._auto_top_up(self.sudo(), consumption)

    def _check_low_balance(self, was_notified):
        threshold = self.low_balance_threshold
        if not threshold:
            return
        is_low = self.balance < threshold
        if is_low and not was_notified:
            # sudo: the template is read and the email queued for the account's
            # administrator, whoever spent the units.
            self.sudo().low_balance_notified = True
            template = self.env.ref("comms_reseller.mail_template_units_low_balance")
            template.sudo().send_mail(self.id)
        elif not is_low and was_notified:
            self.sudo().low_balance_notified = False

    # ------------------------------------------------------------------
    # Auto-buy: a pack invoiced when a movement leaves the balance low
    # ------------------------------------------------------------------

    def _auto_buy(self):
        """Invoice one pack when this wallet is below its auto-buy balance,
        unless an automatic invoice of it is still unpaid or the month's cap is
        reached.

        The caller holds the wallet's row lock (_lock_for_movement): a
        concurrent movement of this wallet waits for this transaction, then
        fails with a serialization error and is retried by Odoo, and its retry
        sees the invoice made here. Two consumptions never make two invoices.
        The invoice is made in the movement's transaction and rolls back with
        it; the card is charged later by its cron, never here."""
        self.ensure_one()
        if not self.auto_buy or self.balance >= self.auto_buy_below:
            return
        # sudo: whoever spent the units (a fax sender, a portal user) buys the
        # account's pack, an invoice they may not create nor read.
        wallet_sudo = self.sudo()
        invoices = wallet_sudo._auto_buy_invoices()
        if invoices.filtered(lambda invoice: invoice._comms_is_unpaid()):
            return
        if wallet_sudo._auto_buy_month_count(invoices) >= self.auto_buy_cap:
            wallet_sudo._auto_buy_stopped(
                self.env._(
                    "The monthly cap of %(cap)s automatic purchases is reached: "
                    "no pack is bought automatically until next month.",
                    cap=self.auto_buy_cap,
                )
            )
            return
        wallet_sudo._auto_buy_invoice()

    def _auto_buy_invoices(self):
        self.ensure_one()
        return self.env["account.move"].search(
            [
                ("comms_account_id", "=", self.account_id.id),
                ("comms_auto_buy", "=", True),
                ("move_type", "=", "out_invoice"),
            ]
        )

    def _auto_buy_month_count(self, invoices):
        month_start = fields.Date.context_today(self).replace(day=1)
        return len(
            invoices.filtered(
                lambda invoice: invoice.state != "cancel"
                and invoice.invoice_date
                and invoice.invoice_date >= month_start
            )
        )

    def _auto_buy_invoice(self):
        """Post the invoice of one pack, then send it or leave it to the card
        cron; a pack that cannot be invoiced stops the auto-buy, visibly,
        without refusing the movement."""
        Move = self.env["account.move"]
        try:
            with self.env.cr.savepoint():
                invoice = Move._comms_create_units_invoice(
                    self.account_id, self.auto_buy_product_id, 1, automatic=True
                )
        except (UserError, ValidationError) as error:
            self._auto_buy_stopped(error.args[0])
            return Move
        self.auto_buy_issue = False
        self.message_post(
            body=self.env._(
                "Automatic purchase: the balance fell to %(balance)s units, below "
                "%(below)s. Invoice %(invoice)s for %(units)s units; they are "
                "credited when it is paid.",
                balance=self.balance,
                below=self.auto_buy_below,
                invoice=invoice._get_html_link(),
                units=self.auto_buy_product_id.comms_units_per_pack,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        invoice._comms_auto_buy_dispatch()
        return invoice

    def _auto_buy_stopped(self, reason):
        """Say once, on the wallet and the account, why no pack was bought."""
        if self.auto_buy_issue == reason:
            return
        _logger.info("Units wallet %s: no automatic purchase: %s", self.id, reason)
        self.auto_buy_issue = reason
        body = self.env._("No pack was bought automatically: %(reason)s", reason=reason)
        for record in (self, self.account_id):
            record.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )

    def _portal_set_auto_buy(self, values):
        """The account's administrator changes the auto-buy on the portal,
        unless the reseller manages the account."""
        self.ensure_one()
        account = self.account_id
        if not account._portal_can_edit():
            raise AccessError(account._portal_user_management_refusal())
        self.write(values)

    def _check_whole_units(self, units):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise UserError(
                self.env._(
                    "Units are whole and positive: %(units)s cannot be moved.",
                    units=units,
                )
            )

    def _check_can_spend(self, units, transferable=False):
        self.ensure_one()
        available = self.transferable_balance if transferable else self.balance
        if units > available:
            if transferable and units <= self.balance:
                message = self.env._(
                    "The wallet of %(account)s has %(available)s transferable units "
                    "(%(promotional)s of its %(balance)s units are promotional and "
                    "cannot be transferred): %(units)s cannot be transferred.",
                    account=self.account_id.display_name,
                    available=available,
                    promotional=self.promotional_balance,
                    balance=self.balance,
                    units=units,
                )
            else:
                message = self.env._(
                    "The wallet of %(account)s has %(balance)s units: %(units)s "
                    "are needed.",
                    account=self.account_id.display_name,
                    balance=self.balance,
                    units=units,
                )
            raise UserError(message)

    def _check_transfer_allowed(self, target):
        """Whether units may go from this wallet to `target`.

        Until owner groups exist, only between accounts of the same reseller;
        the groups will narrow this to the owner's group."""
        self.ensure_one()
        if target == self:
            raise UserError(self.env._("A wallet cannot transfer units to itself."))
        (self | target).fetch(["account_id", "company_id"])  # one query for both
        if target.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "Units cannot go from %(sender)s to %(target)s: the accounts "
                    "belong to different resellers.",
                    sender=self.account_id.display_name,
                    target=target.account_id.display_name,
                )
            )
        self.env["comms.unit.group"]._check_transfer_direction(self, target)

    def transfer_units(self, target_wallet_id, units, idempotency_key=None):
        """Transfer `units` bought units from this wallet to another one.

        Irreversible. A retry with the same idempotency key applies once and
        returns the first result. Returns the id of the debit line."""
        self.ensure_one()
        if isinstance(target_wallet_id, int):
            self._wait_for_turn([self.id, target_wallet_id])
        target = self.browse(target_wallet_id).exists()
        (self | target).check_access("write")
        if not target:
            raise UserError(self.env._("The wallet to credit does not exist."))
        self._check_whole_units(units)
        self._check_transfer_allowed(target)
        (self | target)._lock_for_movement()
        done = self._existing_moves(idempotency_key)
        if done:
            return done._replayed_transfer(target, units).id
        self._check_can_spend(units, transferable=True)
        groups = (self | target)._ledger_groups()
        debit = self._post_movement(
            "transfer_out",
            -units,
            key=idempotency_key,
            counterpart_wallet_id=target.id,
            promotional=0,
            group=groups[self],
        )
        target._post_movement(
            "transfer_in",
            units,
            source=debit,
            key=idempotency_key,
            counterpart_wallet_id=self.id,
            group=groups[target],
        )
        return debit.id

    def _credit(self, kind, units, source=None, key=None, promotional=False, **values):
        """Credit units once per key; returns the ledger line (the first one
        on a retry). `values`: the line's value (what the client paid) or
        note."""
        self.ensure_one()
        self._lock_for_movement()
        done = self._existing_moves(key)
        if done:
            return done
        return self._post_movement(
            kind,
            units,
            source,
            key,
            promotional=units if promotional else 0,
            **values,
        )

    def _debit(self, kind, units, source=None, key=None, allow_debt=False, **values):
        """Debit units once per key, refused when the balance does not cover
        them (unless `allow_debt`)."""
        self.ensure_one()
        if kind == "consumption":
            top_ups_sudo = self._lock_for_consumption()
        else:
            top_ups_sudo = self.env["comms.unit.group.member"]
            self._lock_for_movement()
        done = self._existing_moves(key)
        if done:
            return done
        if not allow_debt:
            self._check_can_spend(units)
        return self._post_movement(
            kind, -units, source, key, top_ups_sudo=top_ups_sudo, **values
        )

    def _release(self, reservation, source, key):
        """Give back the units of a reservation, promotional part included,
        once per key."""
        self.ensure_one()
        self._lock_for_movement()
        done = self._existing_moves(key)
        if done:
            return done
        return self._post_movement(
            "release",
            -reservation.amount,
            source,
            key,
            promotional=-reservation.promotional_amount,
        )

    def _existing_moves_of(self, sources):
        """The lines of these wallets recorded for these source documents."""
        if not sources:
            return self.env["comms.unit.move"]
        # sudo: see _existing_moves.
        return (
            self.env["comms.unit.move"]
            .sudo()
            .search(
                [
                    ("wallet_id", "in", self.ids),
                    ("source_ref", "in", [f"{s._name},{s.id}" for s in sources]),
                ]
            )
        )

    def _take_back(self, units, source=None, key=None, allow_debt=False, value=0):
        """Debit bought units that are refunded (a credit note), once per key.

        Refused when they were already spent, unless `allow_debt`: the wallet
        then goes below zero and the next purchase pays the debt first."""
        self.ensure_one()
        self._lock_for_movement()
        done = self._existing_moves(key)
        if done:
            return done
        if units > self.transferable_balance and not allow_debt:
            raise UserError(
                self.env._(
                    "The credit note takes back %(units)s units, but the wallet of "
                    "%(account)s has %(available)s bought units left: the others "
                    "were already spent. Tick “Record Spent Units as Debt” on the "
                    "credit note to post it anyway; the next purchase of units "
                    "then pays the debt first.",
                    units=units,
                    account=self.account_id.display_name,
                    available=self.transferable_balance,
                )
            )
        return self._post_movement(
            "refund", -units, source, key, promotional=0, value=value
        )

    def _correct(self, units, note, key=None, promotional=False):
        """A reseller manager's correction: `units` signed, never zero, with
        the reason; promotional units are given, never taken."""
        self.ensure_one()
        if not self.env.user.has_group("comms_reseller.group_reseller_manager"):
            raise AccessError(
                self.env._("Only reseller managers correct a units balance.")
            )
        self.check_access("write")
        if not isinstance(units, int) or isinstance(units, bool) or not units:
            raise UserError(
                self.env._(
                    "A correction moves a whole number of units, not %(units)s.",
                    units=units,
                )
            )
        if units > 0:
            kind = "promotional" if promotional else "correction"
            return self._credit(
                kind, units, key=key, promotional=promotional, note=note
            )
        return self._debit("correction", -units, key=key, note=note)

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_reseller.comms_unit_move_action"
        )
        action["domain"] = [("wallet_id", "=", self.id)]
        action["context"] = {}
        return action
