import uuid

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import single_email_re


class CommsUnitGroup(models.Model):
    """An owner's group: the owner pays with its units for the usage of the
    accounts that joined it (its members). Not symmetric: members see the
    group's name and what they received, never the owner's wallet or the other
    members."""

    _name = "comms.unit.group"
    _description = "Prepaid Units Owner Group"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    owner_account_id = fields.Many2one(
        "comms.account",
        string="Owner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="owner_account_id.company_id", store=True, index=True, string="Reseller"
    )
    membership_ids = fields.One2many(
        "comms.unit.group.member", "group_id", string="Invitations"
    )
    member_ids = fields.One2many(
        "comms.unit.group.member",
        "group_id",
        string="Members",
        domain=[("state", "=", "active")],
    )
    member_count = fields.Integer(compute="_compute_member_count")
    history_html = fields.Html(
        string="History", compute="_compute_history_html", sanitize=False
    )
    transfer_move_ids = fields.Many2many(
        "comms.unit.move",
        string="Transfers",
        compute="_compute_transfer_move_ids",
        help="The units the owner transferred to members of the group.",
    )

    _sql_constraints = [
        (
            "owner_uniq",
            "UNIQUE(owner_account_id)",
            "A subscriber account owns one group at most.",
        ),
    ]

    @api.depends("owner_account_id")
    def _compute_name(self):
        for group in self:
            if not group.name:
                group.name = group.owner_account_id.name

    @api.depends("member_ids")
    def _compute_member_count(self):
        for group in self:
            group.member_count = len(group.member_ids)

    def _compute_transfer_move_ids(self):
        Move = self.env["comms.unit.move"]
        for group in self:
            # sudo: the group's transfers, read by whoever may read the group's
            # owner side; members never reach this field (see the portal).
            group.transfer_move_ids = Move.sudo().search(
                [
                    ("account_id", "=", group.owner_account_id.id),
                    ("kind", "=", "transfer_out"),
                    (
                        "counterpart_wallet_id.account_id",
                        "in",
                        group.sudo().membership_ids.account_id.ids,
                    ),
                ]
            )

    def _compute_history_html(self):
        QWeb = self.env["ir.qweb"]
        for group in self:
            group.history_html = QWeb._render(
                "comms_reseller.unit_group_history", {"events": group._history()}
            )

    def _history(self):
        """Invitations and transfers of the group, newest first, for the
        owner's eyes: what the group's "All" tab shows."""
        self.ensure_one()
        states = dict(
            self.env["comms.unit.group.member"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        events = [
            {
                "date": membership.invite_date,
                "kind": self.env._("Invitation"),
                "who": membership.sudo().account_id.name or membership.email,
                "state": states[membership.state],
                "units": -membership.paid_with_units,
            }
            for membership in self.membership_ids
        ]
        events += [
            {
                "date": move.date,
                "kind": self.env._("Transfer"),
                "who": move.sudo().counterpart_wallet_id.account_id.name,
                "state": "",
                "units": move.amount,
            }
            for move in self.transfer_move_ids
        ]
        return sorted(events, key=lambda event: event["date"], reverse=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            owner = self.env["comms.account"].browse(vals.get("owner_account_id"))
            # sudo: a group owned elsewhere is a refusal, whoever can see it.
            if owner and self.sudo().search_count(
                [("owner_account_id", "=", owner.id)]
            ):
                raise UserError(
                    self.env._(
                        "%(account)s already owns a group: an account owns one "
                        "group at most.",
                        account=owner.sudo().display_name,
                    )
                )
        return super().create(vals_list)

    @api.model
    def _for_owner(self, account):
        """The group the account owns, created the first time."""
        group = self.search([("owner_account_id", "=", account.id)], limit=1)
        return group or self.create({"owner_account_id": account.id})

    # ------------------------------------------------------------------
    # Invitations and new accounts
    # ------------------------------------------------------------------

    def _check_email(self, email):
        if not email or not single_email_re.match(email):
            raise UserError(
                self.env._("Enter a valid email address, not “%(email)s”.", email=email)
            )

    def _subscriber_by_email(self, email):
        """The active account of the reseller whose administrator has this
        email, if any."""
        self.ensure_one()
        self._check_email(email)
        # sudo: looking up an address among the reseller's subscribers is the
        # point of inviting by email; only the account found is used.
        accounts_sudo = (
            self.env["comms.account"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("admin_user_id.email", "=ilike", email.strip()),
                    ("admin_user_id.login", "=ilike", email.strip()),
                ],
                limit=1,
            )
        )
        return accounts_sudo.sudo(False)

    def _invite(self, email):
        """Invite the subscriber with this email; False when nobody has it
        (the owner may then create an account paid with units)."""
        self.ensure_one()
        account = self._subscriber_by_email(email)
        if not account:
            return False
        Member = self.env["comms.unit.group.member"]
        if account == self.owner_account_id:
            raise UserError(self.env._("You cannot invite yourself to your group."))
        # sudo: the refusal names the state of this account's membership only.
        open_membership = Member.sudo().search(
            [
                ("group_id", "=", self.id),
                ("account_id", "=", account.id),
                ("state", "in", ("invited", "active")),
            ]
        )
        if open_membership:
            raise UserError(
                self.env._(
                    "%(email)s is already invited to or a member of %(group)s.",
                    email=email,
                    group=self.name,
                )
            )
        membership = Member.create(
            {"group_id": self.id, "account_id": account.id, "email": email.strip()}
        )
        membership._send_invitation()
        return membership

    def _create_member_account(self, name, email, plan, idempotency_key=None):
        """Create an account for someone who is no subscriber yet, paid with
        the owner's units in the same transaction, and make it a member."""
        self.ensure_one()
        self._check_email(email)
        if not (name or "").strip():
            raise UserError(self.env._("Enter the name of the new account."))
        price = self._plan_units_price(plan)
        wallet = self.owner_account_id._units_wallet()
        wallet._lock_for_movement()
        done = wallet._existing_moves(idempotency_key)
        if done:
            return done.source_ref
        if self._subscriber_by_email(email):
            raise UserError(
                self.env._(
                    "%(email)s already has an account: invite it instead.", email=email
                )
            )
        # sudo: any login of the database blocks the address, whoever owns it.
        if self.env["res.users"].sudo().search_count([("login", "=ilike", email)]):
            raise UserError(
                self.env._(
                    "%(email)s is already used to sign in: choose another address.",
                    email=email,
                )
            )
        wallet._check_can_spend(price)
        account = self._create_account_paid_with_units(name.strip(), email, plan)
        wallet._debit(
            "consumption",
            price,
            source=account,
            key=idempotency_key,
            note=self.env._(
                "New account %(account)s, plan %(plan)s",
                account=account.sudo().display_name,
                plan=plan.display_name,
            ),
        )
        Member = self.env["comms.unit.group.member"]
        Member.create(
            {
                "group_id": self.id,
                "account_id": account.id,
                "email": email,
                "state": "active",
                "join_date": fields.Datetime.now(),
                "paid_with_units": price,
                "renewal_state": "paid",
                "renewal_date": Member._next_renewal_date(
                    account.sudo().first_invoice_date
                ),
            }
        )
        # sudo: the owner, a portal user, may not write emails; the welcome
        # email still comes from whoever opened the account.
        account.sudo()._send_welcome_email()
        return account

    def _plan_units_price(self, plan):
        self.ensure_one()
        allowed = self.company_id._comms_allowed_products()
        if (
            not plan
            or plan.comms_kind != "plan"
            or plan.product_tmpl_id not in allowed
            or plan.comms_units_price <= 0
        ):
            raise UserError(
                self.env._(
                    "Choose a plan that %(company)s sells for units.",
                    company=self.company_id.name,
                )
            )
        return plan.comms_units_price

    def _create_account_paid_with_units(self, name, email, plan):
        owner = self.owner_account_id
        # sudo: the owner creates an account for someone else, paid with its
        # units; the account belongs to the reseller and its account manager.
        partner_sudo = (
            self.env["res.partner"]
            .sudo()
            .create({"name": name, "email": email, "company_id": False})
        )
        account_sudo = (
            self.env["comms.account"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": partner_sudo.id,
                    "company_id": self.company_id.id,
                    "kind": "professional",
                    "billing_status": "production",
                    # The units pay the first month from today: the contract
                    # and the monthly renewals count their months from it.
                    "first_invoice_date": fields.Date.context_today(self),
                    "user_id": owner.sudo().user_id.id,
                    "user_ids": [Command.create({"name": name, "email": email})],
                    # The plan is paid with units: nothing to invoice in money.
                    "line_ids": [
                        Command.create({"product_id": plan.id, "price_unit": 0.0})
                    ],
                }
            )
        )
        account_sudo.message_post(
            body=self.env._(
                "Account opened by %(owner)s, paid with %(units)s units.",
                owner=owner.sudo().display_name,
                units=plan.comms_units_price,
            )
        )
        return account_sudo.sudo(False)

    # ------------------------------------------------------------------
    # Transfers and top-ups: owner -> members only
    # ------------------------------------------------------------------

    def _locked_wallets(self, memberships):
        self.ensure_one()
        memberships._check_active_in(self)
        owner_wallet = self.owner_account_id._units_wallet()
        member_wallets = memberships.account_id._units_wallet()
        (owner_wallet | member_wallets)._lock_for_movement()
        return owner_wallet

    def _transfer_to_members(self, memberships, units, idempotency_key):
        """Transfer `units` to each of the memberships' accounts, all or none,
        once per key. Returns the debit lines written now."""
        self.ensure_one()
        self.env["comms.unit.wallet"]._check_whole_units(units)
        owner_wallet = self._locked_wallets(memberships)
        pending = memberships.filtered(
            lambda m: not owner_wallet._existing_moves(m._transfer_key(idempotency_key))
        )
        owner_wallet._check_can_spend(units * len(pending), transferable=True)
        return self._transfer_each(owner_wallet, pending, idempotency_key, units)

    def _top_up_members(self, memberships, target, idempotency_key):
        """Bring each member up to `target` units; the differences are read
        under the wallets' locks, when the top-up runs."""
        self.ensure_one()
        self.env["comms.unit.wallet"]._check_whole_units(target)
        owner_wallet = self._locked_wallets(memberships)
        amounts = {}
        for membership in memberships:
            key = membership._transfer_key(idempotency_key)
            # sudo: the member's balance, read by the owner paying for it.
            balance = membership.account_id.sudo().unit_wallet_ids.balance
            if not owner_wallet._existing_moves(key) and balance < target:
                amounts[membership] = target - balance
        owner_wallet._check_can_spend(sum(amounts.values()), transferable=True)
        moves = self.env["comms.unit.move"]
        for membership, units in amounts.items():
            moves |= self._transfer_each(
                owner_wallet, membership, idempotency_key, units
            )
        return moves

    def _transfer_each(self, owner_wallet, memberships, idempotency_key, units):
        Move = self.env["comms.unit.move"]
        moves = Move
        for membership in memberships:
            debit_id = owner_wallet.transfer_units(
                membership.account_id.unit_wallet_ids.id,
                units,
                membership._transfer_key(idempotency_key),
            )
            moves |= Move.browse(debit_id)
        self._send_receipts(moves)
        return moves

    def _send_receipts(self, debits):
        """Email the owner and each member a receipt of a transfer."""
        sent = self.env.ref("comms_reseller.mail_template_unit_transfer_sent")
        received = self.env.ref("comms_reseller.mail_template_unit_transfer_received")
        # sudo: each side's administrator gets its own receipt; the templates
        # read the other side's name only.
        for debit_sudo in debits.sudo():
            sent.sudo().send_mail(debit_sudo.id)
            received.sudo().send_mail(debit_sudo.id)

    def _leave(self, account):
        """The account leaves this group; an owner cannot leave its own."""
        self.ensure_one()
        if account == self.owner_account_id:
            raise UserError(
                self.env._(
                    "You own %(group)s: an owner cannot leave its own group.",
                    group=self.name,
                )
            )
        membership = self.env["comms.unit.group.member"].search(
            [
                ("group_id", "=", self.id),
                ("account_id", "=", account.id),
                ("state", "=", "active"),
            ]
        )
        if not membership:
            raise UserError(
                self.env._("You are not a member of %(group)s.", group=self.name)
            )
        membership._leave()

    @api.model
    def _new_idempotency_key(self):
        return str(uuid.uuid4())

    @api.model
    def _transfer_summary(self, mode, units, member_count):
        """The confirmation of a transfer or top-up: irreversible, with the
        amount repeated."""
        if mode == "top_up":
            return self.env._(
                "Each of the %(count)s selected members will be brought up to "
                "%(units)s units; you pay the differences, computed when you "
                "confirm. A transfer cannot be undone.",
                count=member_count,
                units=units,
            )
        return self.env._(
            "%(units)s units will go to each of the %(count)s selected members "
            "(%(total)s units in all). A transfer cannot be undone.",
            units=units,
            count=member_count,
            total=units * member_count,
        )

    @api.model
    def _check_transfer_direction(self, sender, target):
        """Units never go back from a member to its group's owner."""
        accounts = (sender | target).account_id
        memberships = (
            self.env["comms.unit.group.member"]
            .sudo()
            .search(
                [
                    ("account_id", "in", accounts.ids),
                    ("state", "=", "active"),
                    ("group_id.owner_account_id", "in", accounts.ids),
                ]
            )
        )
        member_of_owner = {
            (m.account_id, m.group_id.owner_account_id) for m in memberships
        }
        owned_by_target = (sender.account_id, target.account_id) in member_of_owner
        owned_by_sender = (target.account_id, sender.account_id) in member_of_owner
        if owned_by_target and not owned_by_sender:
            raise UserError(
                self.env._(
                    "Units go from a group's owner to its members, never back: "
                    "%(sender)s cannot transfer units to %(target)s.",
                    sender=sender.account_id.display_name,
                    target=target.account_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Back-office actions
    # ------------------------------------------------------------------

    def _open_wizard(self, model, name, mode=None):
        self.ensure_one()
        context = {"default_group_id": self.id}
        if mode:
            context["default_mode"] = mode
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_invite(self):
        return self._open_wizard("comms.unit.group.invite", self.env._("Invite"))

    def action_transfer(self):
        return self._open_wizard(
            "comms.unit.group.transfer", self.env._("Transfer Units"), "transfer"
        )

    def action_top_up(self):
        return self._open_wizard(
            "comms.unit.group.transfer", self.env._("Top Up To"), "top_up"
        )
