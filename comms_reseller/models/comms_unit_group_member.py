import logging
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import consteq
from odoo.tools.misc import hmac

INVITATION_LINK_SCOPE = "comms_reseller.unit_group_invitation"
INVITATION_DAYS = 14
OPEN_STATES = ("invited", "active")
AUTO_TOP_UP_READERS = "comms_reseller.group_reseller_user,base.group_system"
# Days an account opened with units keeps its service after a renewal the
# owner's units could not pay, before it expires.
RENEWAL_GRACE_DAYS = 7
_logger = logging.getLogger(__name__)


class CommsUnitGroupMember(models.Model):
    """One invitation to an owner's group and the membership it becomes: the
    history of who was invited, joined, declined, left or was removed.
    Re-inviting makes a new line: it is the only way back in."""

    _name = "comms.unit.group.member"
    _description = "Prepaid Units Group Membership"
    _order = "invite_date desc, id desc"
    _rec_name = "account_id"
    _check_company_auto = True

    group_id = fields.Many2one(
        "comms.unit.group",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="group_id.company_id", store=True, index=True, string="Reseller"
    )
    account_id = fields.Many2one(
        "comms.account",
        string="Member",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    email = fields.Char(string="Invited Address", readonly=True)
    state = fields.Selection(
        [
            ("invited", "Invited"),
            ("active", "Member"),
            ("declined", "Declined"),
            ("expired", "Invitation Expired"),
            ("removed", "Removed"),
            ("left", "Left"),
        ],
        required=True,
        default="invited",
        readonly=True,
        index=True,
    )
    invite_date = fields.Datetime(
        string="Invited On", readonly=True, default=fields.Datetime.now
    )
    expiry_date = fields.Datetime(
        string="Invitation Valid Until",
        compute="_compute_expiry_date",
        store=True,
    )
    join_date = fields.Datetime(string="Joined On", readonly=True)
    end_date = fields.Datetime(
        string="Ended On",
        readonly=True,
        help="When the invitation was declined or expired, or the member left or "
        "was removed.",
    )
    invited_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    paid_with_units = fields.Integer(
        readonly=True,
        help="The units the owner paid to open this account, when it was created "
        "from the group.",
    )
    renewal_date = fields.Date(
        string="Next Renewal",
        readonly=True,
        copy=False,
        help="For an account opened with the owner's units: the day the owner's "
        "units pay its plan for the next month, on the anniversary of its opening "
        "(the day its contract bills the next month).",
    )
    renewal_state = fields.Selection(
        [
            ("paid", "Paid"),
            ("grace", "Renewal Due"),
            ("expired", "Expired"),
        ],
        string="Renewal",
        readonly=True,
        copy=False,
        help="Paid: the owner's units paid the current month. Renewal Due: the "
        "owner's units did not cover the renewal; the account keeps its service "
        "for a grace period. Expired: the account may no longer send faxes or "
        "texts until the owner's units renew it.",
    )
    renewal_grace_end_date = fields.Date(
        string="Expires On",
        compute="_compute_renewal_grace_end_date",
        help="While the renewal is due: the day the account expires unless the "
        "owner's units renew it first.",
    )
    renewal_units = fields.Integer(
        string="Renewal Price (Units)",
        compute="_compute_renewal_units",
        compute_sudo=True,
        help="The units the owner pays each month for this account's plan.",
    )
    # Read with sudo: the owner sees its members' status and units, never the
    # rest of their accounts.
    account_status = fields.Selection(
        [
            ("active", "Active"),
            ("trial", "Trial"),
            ("expired", "Expired"),
            ("suspended", "Suspended"),
        ],
        string="Status",
        compute="_compute_account_status",
        compute_sudo=True,
    )
    units = fields.Integer(compute="_compute_units", compute_sudo=True)
    received_units = fields.Integer(compute="_compute_received", compute_sudo=True)
    received_move_ids = fields.Many2many(
        "comms.unit.move", compute="_compute_received", compute_sudo=True
    )

    # The owner's settings: the reseller reads them in the back office, the
    # owner on its portal page (with sudo, after checking it owns the group);
    # the member never reads them.
    keep_at_units = fields.Integer(
        string="Keep At",
        groups=AUTO_TOP_UP_READERS,
        help="When a consumption (a fax or text charged) leaves the member below "
        "this number of units, the owner's units top the member up to it, within "
        "the monthly cap. 0: never.",
    )
    monthly_top_up_cap = fields.Integer(
        string="Monthly Top-up Cap",
        groups=AUTO_TOP_UP_READERS,
        help="The most units the automatic top-ups give this member in a "
        "calendar month.",
    )
    auto_topped_up_units = fields.Integer(
        string="Topped Up This Month",
        compute="_compute_auto_topped_up_units",
        compute_sudo=True,
        groups=AUTO_TOP_UP_READERS,
        help="The units the automatic top-ups gave this member since the first "
        "of the month.",
    )
    top_up_short_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The owner was told it lacked the units of an automatic top-up; "
        "told again only after a top-up succeeded.",
    )

    _sql_constraints = [
        (
            "auto_top_up_positive",
            "CHECK(keep_at_units >= 0 AND monthly_top_up_cap >= 0)",
            "The amount to keep a member at and the monthly cap cannot be negative.",
        ),
        (
            "paid_with_units_positive",
            "CHECK(paid_with_units >= 0)",
            "An account cannot be paid with negative units.",
        ),
    ]

    def init(self):
        # One open invitation or membership per group and account, settled by
        # the database when two invitations race.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS comms_unit_group_member_open_uniq "
            "ON comms_unit_group_member (group_id, account_id) "
            "WHERE state IN ('invited', 'active')"
        )

    @api.depends("invite_date")
    def _compute_expiry_date(self):
        for membership in self:
            membership.expiry_date = membership.invite_date and (
                membership.invite_date + timedelta(days=INVITATION_DAYS)
            )

    @api.depends(
        "account_id.billing_status", "account_id.trial_end_date", "renewal_state"
    )
    def _compute_account_status(self):
        today = fields.Date.context_today(self)
        for membership in self:
            account = membership.account_id
            status = account.billing_status
            if membership.renewal_state == "expired" and membership.state == "active":
                membership.account_status = "expired"
            elif status == "production":
                membership.account_status = "active"
            elif status == "trial":
                ended = account.trial_end_date and account.trial_end_date < today
                membership.account_status = "expired" if ended else "trial"
            elif status == "suspended":
                membership.account_status = "suspended"
            else:
                membership.account_status = "expired"

    @api.depends("renewal_date")
    def _compute_renewal_grace_end_date(self):
        for membership in self:
            membership.renewal_grace_end_date = membership.renewal_date and (
                membership.renewal_date + timedelta(days=RENEWAL_GRACE_DAYS)
            )

    @api.depends("renewal_state", "account_id.line_ids.product_id.comms_units_price")
    def _compute_renewal_units(self):
        for membership in self:
            plans = membership.account_id.line_ids.filtered(
                lambda line: line.comms_kind == "plan"
            )
            membership.renewal_units = (
                sum(plans.product_id.mapped("comms_units_price"))
                if membership.renewal_state
                else 0
            )

    @api.depends("account_id.unit_wallet_ids.balance")
    def _compute_units(self):
        for membership in self:
            membership.units = membership.account_id.unit_wallet_ids[:1].balance

    def _compute_received(self):
        Move = self.env["comms.unit.move"]
        for membership in self:
            moves = Move.search(
                [
                    ("account_id", "=", membership.account_id.id),
                    ("kind", "=", "transfer_in"),
                    (
                        "counterpart_wallet_id.account_id",
                        "=",
                        membership.group_id.owner_account_id.id,
                    ),
                ]
            )
            membership.received_move_ids = moves
            membership.received_units = sum(moves.mapped("amount"))

    def _compute_auto_topped_up_units(self):
        for membership in self:
            owner_wallet = membership.group_id.owner_account_id.unit_wallet_ids[:1]
            membership.auto_topped_up_units = (
                membership._auto_topped_up_this_month(owner_wallet)
                if owner_wallet and membership.id
                else 0
            )

    @api.constrains("keep_at_units", "monthly_top_up_cap")
    def _check_auto_top_up_pair(self):
        """Both 0 (off) or both above 0: a cap of 0 would never top the member
        up, a cap without an amount to keep would never be used. A cap below
        the amount is a budget: it only limits what the month gives."""
        for membership in self:
            keep_at = membership.keep_at_units
            cap = membership.monthly_top_up_cap
            if keep_at and not cap:
                raise ValidationError(
                    self.env._(
                        "%(account)s cannot be kept at %(keep_at)s units with a "
                        "monthly cap of 0: it would never be topped up. Set a cap "
                        "above 0, or 0 and 0 to switch the automatic top-up off.",
                        account=membership.account_id.display_name,
                        keep_at=keep_at,
                    )
                )
            if cap and not keep_at:
                raise ValidationError(
                    self.env._(
                        "Set the number of units to keep %(account)s at: a monthly "
                        "cap of %(cap)s alone tops up nothing. Set 0 and 0 to "
                        "switch the automatic top-up off.",
                        account=membership.account_id.display_name,
                        cap=cap,
                    )
                )

    @api.constrains("group_id", "account_id")
    def _check_not_owner(self):
        for membership in self:
            if membership.account_id == membership.group_id.owner_account_id:
                raise ValidationError(
                    self.env._("You cannot invite yourself to your group.")
                )

    def _check_active_in(self, group):
        if not self:
            raise UserError(self.env._("Select at least one member."))
        outside = self.filtered(lambda m: m.group_id != group or m.state != "active")
        if outside:
            raise UserError(
                self.env._(
                    "Units go only to members of %(group)s: %(accounts)s is not one.",
                    group=group.name,
                    accounts=", ".join(outside.sudo().mapped("account_id.name")),
                )
            )

    def _transfer_key(self, idempotency_key):
        self.ensure_one()
        return idempotency_key and f"{idempotency_key}:{self.account_id.id}"

    # ------------------------------------------------------------------
    # Automatic top-up: keep a member at N units, at most M a month
    # ------------------------------------------------------------------

    @api.model
    def _parse_auto_top_up_units(self, value):
        """A number typed on the portal: whole, 0 or more; empty is 0."""
        text = str(value if value is not None else "").strip()
        if not text:
            return 0
        if not text.isdigit():
            raise UserError(
                self.env._(
                    "The units to keep a member at and the monthly cap are whole "
                    "numbers, 0 or more: “%(value)s” is not one.",
                    value=text,
                )
            )
        return int(text)

    def _set_auto_top_up(self, keep_at, cap):
        """Keep this active member at `keep_at` units, at most `cap` a month;
        0 and 0 switch it off."""
        self.ensure_one()
        self._check_state(["active"])
        values = {
            "keep_at_units": self._parse_auto_top_up_units(keep_at),
            "monthly_top_up_cap": self._parse_auto_top_up_units(cap),
        }
        self.write(values)

    def write(self, vals):
        result = super().write(vals)
        if {"keep_at_units", "monthly_top_up_cap"} & set(vals):
            # An internal note on the group: who changed what the owner pays,
            # out of the members' sight.
            for membership in self:
                membership.group_id._message_log(body=membership._auto_top_up_summary())
        return result

    def _auto_top_up_summary(self):
        self.ensure_one()
        if not self.keep_at_units:
            return self.env._(
                "Automatic top-up of %(account)s switched off.",
                account=self.account_id.display_name,
            )
        return self.env._(
            "%(account)s is kept at %(keep_at)s units, up to %(cap)s a month.",
            account=self.account_id.display_name,
            keep_at=self.keep_at_units,
            cap=self.monthly_top_up_cap,
        )

    def _auto_top_up_key(self, consumption):
        # One top-up per consumption: a replayed charge never tops up twice.
        return f"auto-top-up-{self.id}-{consumption.id}"

    def _auto_topped_up_this_month(self, owner_wallet):
        month_start = fields.Datetime.now().replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        # sudo: the owner's ledger, read whoever spent the member's units.
        moves = (
            self.env["comms.unit.move"]
            .sudo()
            .search(
                [
                    ("wallet_id", "=", owner_wallet.id),
                    ("kind", "=", "transfer_out"),
                    ("idempotency_key", "=like", f"auto-top-up-{self.id}-%"),
                    ("date", ">=", month_start),
                ]
            )
        )
        return -sum(moves.mapped("amount"))

    def _auto_top_up(self, member_wallet, consumption):
        """Top the member up to keep_at_units from the owner's units, within
        what is left of the month's cap, after `consumption`."""
        self.ensure_one()
        owner_wallet = self.group_id.owner_account_id._units_wallet()
        # Both wallets were locked, in id order, by the consumption (_debit).
        (owner_wallet | member_wallet)._lock_for_movement()
        left = self.monthly_top_up_cap - self._auto_topped_up_this_month(owner_wallet)
        units = min(self.keep_at_units - member_wallet.balance, left)
        if units <= 0:
            return
        if units > owner_wallet.transferable_balance:
            self._notify_owner_short()
            return
        owner_wallet.transfer_units(
            member_wallet.id, units, self._auto_top_up_key(consumption)
        )
        self.top_up_short_notified = False

    def _notify_owner_short(self):
        if self.top_up_short_notified:
            return
        self.top_up_short_notified = True
        template = self.env.ref("comms_reseller.mail_template_unit_auto_top_up_short")
        template.send_mail(self.id)

    # ------------------------------------------------------------------
    # Signed invitation link: one invitation, 14 days, answered once
    # ------------------------------------------------------------------

    def _link_expires(self):
        self.ensure_one()
        return int(self.expiry_date.timestamp())

    def _link_token(self, expires):
        self.ensure_one()
        # Signed with the database secret; bound to this invitation, its
        # account and its expiry.
        return hmac(
            self.env(su=True),
            INVITATION_LINK_SCOPE,
            (self.id, self.account_id.id, expires),
        )

    def _link_url(self, answer):
        self.ensure_one()
        expires = self._link_expires()
        token = self._link_token(expires)
        return (
            f"{self.get_base_url()}/units/invitation/{self.id}/{expires}/{token}"
            f"?answer={answer}"
        )

    def _check_link(self, expires, token):
        """'valid', 'expired', 'used' or 'invalid' for a signed link."""
        self.ensure_one()
        if not consteq(self._link_token(expires), token or ""):
            return "invalid"
        if self.state != "invited":
            return "used"
        if expires != self._link_expires():
            return "invalid"
        if expires < time.time():
            return "expired"
        return "valid"

    def _send_invitation(self):
        template = self.env.ref("comms_reseller.mail_template_unit_group_invitation")
        for membership in self:
            # sudo: the email goes to the invited account's administrator,
            # whom the owner cannot read.
            template.sudo().send_mail(membership.id)

    # ------------------------------------------------------------------
    # Answers and endings
    # ------------------------------------------------------------------

    def _check_state(self, states):
        for membership in self:
            if membership.state not in states:
                raise UserError(
                    self.env._(
                        "This invitation or membership is %(state)s: nothing was "
                        "changed.",
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[membership.state],
                    )
                )

    def _accept(self):
        self._check_state(["invited"])
        if any(m.expiry_date < fields.Datetime.now() for m in self):
            raise UserError(
                self.env._("This invitation has expired: ask for a new one.")
            )
        self.write({"state": "active", "join_date": fields.Datetime.now()})

    def _decline(self):
        self._check_state(["invited"])
        self.write({"state": "declined", "end_date": fields.Datetime.now()})

    def _remove(self):
        self._check_state(OPEN_STATES)
        self.write({"state": "removed", "end_date": fields.Datetime.now()})
        self._stop_paying_with_units()

    def _leave(self):
        self._check_state(["active"])
        self.write({"state": "left", "end_date": fields.Datetime.now()})
        self._stop_paying_with_units()

    def action_remove(self):
        self._remove()
        return True

    @api.model
    def _cron_expire_invitations(self):
        self.search(
            [("state", "=", "invited"), ("expiry_date", "<", fields.Datetime.now())]
        ).write({"state": "expired", "end_date": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Monthly renewal of the accounts opened with the owner's units
    # ------------------------------------------------------------------

    @api.model
    def _next_renewal_date(self, period_start):
        # The contract's monthly step (relativedelta from the period's start):
        # the renewal falls on the day the contract bills the next month.
        return period_start + relativedelta(months=1)

    def _renewal_period(self, today):
        """(first day, last day) of the month to pay now: the one due, or the
        anniversary month holding today when months went by unpaid (an expired
        account is not charged for the months it could not send)."""
        self.ensure_one()
        start = self.renewal_date
        while self._next_renewal_date(start) <= today:
            start = self._next_renewal_date(start)
        return start, self._next_renewal_date(start) - timedelta(days=1)

    def _renewal_key(self, period_start):
        # One debit per account and month, however often the renewal runs.
        return f"unit-renewal-{self.account_id.id}-{period_start.isoformat()}"

    def _renew_with_units(self):
        """Pay the account's plan for the month due with the owner's units,
        once per month. Returns the ledger line, or an empty recordset when the
        owner's units are short: the renewal is then due, and expires after
        the grace period."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        start, end = self._renewal_period(today)
        wallet = self.group_id.owner_account_id._units_wallet()
        # The owner's own owners may top it up after the debit.
        wallet._lock_for_consumption()
        key = self._renewal_key(start)
        debit = wallet._existing_moves(key)
        if not debit:
            units = self._renewal_units_sold()
            if units > wallet.balance:
                self._renewal_short(today)
                return debit
            debit = wallet._debit(
                "consumption",
                units,
                source=self.account_id,
                key=key,
                note=self.env._(
                    "Renewal of %(account)s from %(start)s to %(end)s",
                    account=self.account_id.display_name,
                    start=start.isoformat(),
                    end=end.isoformat(),
                ),
            )
        self._renewal_paid(self._next_renewal_date(start))
        return debit

    def _renewal_units_sold(self):
        if self.renewal_units <= 0:
            raise UserError(
                self.env._(
                    "The plan of %(account)s has no price in units any more: set "
                    "its price in units, or remove the account from the group to "
                    "invoice it in money.",
                    account=self.account_id.display_name,
                )
            )
        return self.renewal_units

    def _renewal_paid(self, next_date):
        was_late = self.renewal_state in ("grace", "expired")
        self.write({"renewal_date": next_date, "renewal_state": "paid"})
        if was_late:
            self.account_id.message_post(
                body=self.env._(
                    "Plan renewed with the units of %(owner)s until %(date)s.",
                    owner=self.group_id.owner_account_id.display_name,
                    date=(next_date - timedelta(days=1)).isoformat(),
                )
            )

    def _renewal_short(self, today):
        """Tell the owner once when the renewal becomes due, once when the
        grace period ends and the account expires."""
        if self.renewal_state == "paid":
            self.renewal_state = "grace"
            self._send_renewal_email("comms_reseller.mail_template_unit_renewal_due")
        elif self.renewal_state == "grace" and today >= self.renewal_grace_end_date:
            self.renewal_state = "expired"
            self.account_id.message_post(
                body=self.env._(
                    "The plan paid with the units of %(owner)s was not renewed: "
                    "faxes and texts are refused until it is.",
                    owner=self.group_id.owner_account_id.display_name,
                )
            )
            self._send_renewal_email(
                "comms_reseller.mail_template_unit_renewal_expired"
            )

    def _send_renewal_email(self, template_xmlid):
        # sudo: the email goes to the owner's administrator, whoever runs the
        # renewal.
        self.env.ref(template_xmlid).sudo().send_mail(self.id)

    def _units_expired_refusal(self):
        """Why the account of this expired membership may not send."""
        self.ensure_one()
        return self.env._(
            "The plan of %(account)s, paid with the units of %(owner)s, was not "
            "renewed on %(date)s: faxes and texts are refused until %(owner)s "
            "renews it.",
            account=self.account_id.display_name,
            owner=self.group_id.owner_account_id.display_name,
            date=self.renewal_date.isoformat(),
        )

    @api.model
    def _cron_renew_with_units(self):
        """Renew the accounts opened with units whose month is due."""
        today = fields.Date.context_today(self)
        due = self.search(
            [
                ("state", "=", "active"),
                ("renewal_state", "!=", False),
                ("renewal_date", "<=", today),
            ]
        )
        # Each renewal keeps its owner's wallet locked until the commit: taking
        # them in wallet id order cannot deadlock with a transfer.
        due = due.sorted(lambda m: m.group_id.owner_account_id.unit_wallet_ids[:1].id)
        for membership in due:
            try:
                with self.env.cr.savepoint():
                    membership._renew_with_units()
            except UserError as error:
                membership._renewal_failed(error.args[0])
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=0)

    def _renewal_failed(self, reason):
        """A renewal nobody's units can settle (the plan is no longer sold
        for units): the account manager decides, told once."""
        self.ensure_one()
        _logger.warning("Renewal in units of membership %s failed: %s", self.id, reason)
        summary = self.env._("Renewal in units failed")
        account = self.account_id
        if summary not in account.activity_ids.mapped("summary"):
            account.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=account.user_id.id or self.env.uid,
                summary=summary,
                note=reason,
            )

    def action_renew_with_units(self):
        """Renew now the expired or due accounts, refused clearly when the
        owner's units are short."""
        for membership in self:
            if membership.state != "active" or membership.renewal_state not in (
                "grace",
                "expired",
            ):
                raise UserError(
                    self.env._(
                        "%(account)s has no renewal due.",
                        account=membership.account_id.display_name,
                    )
                )
            if not membership._renew_with_units():
                # Refused with the wallet's own words; the user error rolls
                # back the renewal's due state and email.
                owner_wallet = membership.group_id.owner_account_id._units_wallet()
                owner_wallet._check_can_spend(membership.renewal_units)
        return True

    def _stop_paying_with_units(self):
        """The owner no longer pays an account it opened with units: its plan
        is billed in money from the first month the units did not pay, and its
        account manager is told."""
        today = fields.Date.context_today(self)
        for membership in self.filtered("renewal_state"):
            start = (
                today
                if membership.renewal_state == "expired"
                else membership.renewal_date
            )
            membership._bill_plan_in_money(start)
            membership.write({"renewal_state": False, "renewal_date": False})

    def _bill_plan_in_money(self, start):
        self.ensure_one()
        # sudo: whoever ends the membership (the owner or the member), the
        # account's plan lines and contract are the reseller's records.
        account_sudo = self.account_id.sudo()
        plans_sudo = account_sudo.line_ids.filtered(
            lambda line: line.comms_kind == "plan" and not line.price_unit
        )
        plans_sudo._contract_line_stop()
        for line_sudo in plans_sudo:
            line_sudo.price_unit = line_sudo.product_id.lst_price
        if account_sudo.billing_status == "production":
            plans_sudo._contract_line_start(start)
        account_sudo.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=account_sudo.user_id.id or self.env.uid,
            summary=self.env._("Plan no longer paid with units"),
            note=self.env._(
                "%(account)s is no longer in the group of %(owner)s, who paid its "
                "plan with units: the plan is invoiced at its price from %(date)s.",
                account=account_sudo.display_name,
                owner=self.group_id.owner_account_id.sudo().display_name,
                date=start.isoformat(),
            ),
        )
