from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CommsAccountUser(models.Model):
    _name = "comms.account.user"
    _description = "Subscriber Account User"
    _order = "account_id, sequence, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "comms.account",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, string="Reseller"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    email = fields.Char(required=True)
    lang = fields.Selection(
        selection="_lang_get",
        string="Language",
        default=lambda self: self.env.lang,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Portal User",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    partner_id = fields.Many2one(related="user_id.partner_id", string="Contact")
    portal_active = fields.Boolean(
        string="Portal Access", related="user_id.active", readonly=True
    )
    is_admin = fields.Boolean(
        string="Administrator",
        compute="_compute_is_admin",
        store=True,
        help="The first user of an account is its administrator.",
    )

    _sql_constraints = [
        (
            "user_uniq",
            "UNIQUE(user_id)",
            "A portal user belongs to one subscriber account only.",
        ),
    ]

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.depends("account_id.user_ids", "sequence")
    def _compute_is_admin(self):
        for account in self.account_id:
            first = account.user_ids.sorted(lambda u: (u.sequence, u.id))[:1]
            for user in account.user_ids:
                user.is_admin = user == first
        (self - self.account_id.user_ids).is_admin = False

    @api.constrains("account_id")
    def _check_professional_single_user(self):
        for account in self.account_id:
            if account.kind == "professional" and len(account.user_ids) > 1:
                raise ValidationError(
                    self.env._(
                        "The professional account %(account)s has exactly one user.",
                        account=account.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._create_portal_users()
        return records

    def write(self, vals):
        if "account_id" in vals and any(
            user.account_id.id != vals["account_id"] for user in self
        ):
            raise UserError(
                self.env._("A user cannot be moved to another subscriber account.")
            )
        if vals.get("email"):
            self._check_login_free(vals["email"])
        res = super().write(vals)
        synced = {key: vals[key] for key in ("name", "email", "lang") if key in vals}
        if synced:
            if "email" in synced:
                synced["login"] = synced["email"]
            # The subscriber's portal users are not writable by the reseller's
            # staff; their name, email and language follow the account's user.
            users_sudo = self.user_id.sudo()
            users_sudo.write(synced)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_user(self):
        for account in self.account_id:
            if not (account.user_ids - self):
                raise UserError(
                    self.env._(
                        "The account %(account)s must keep at least one user.",
                        account=account.display_name,
                    )
                )

    def _check_login_free(self, email):
        login = email.strip().lower()
        # Logins are unique across the database, users the reseller cannot see
        # included.
        taken = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("login", "=", login), ("id", "not in", self.user_id.ids)])
        )
        if taken:
            raise UserError(
                self.env._(
                    "A user with the login %(login)s already exists.", login=login
                )
            )

    def _create_portal_users(self):
        # Creating users is reserved to administrators; the reseller's staff create
        # the subscriber's portal users through this method only.
        Users_sudo = self.env["res.users"].sudo().with_context(no_reset_password=True)
        portal = self.env.ref("base.group_portal")
        for account_user in self:
            login = account_user.email.strip().lower()
            if Users_sudo.with_context(active_test=False).search_count(
                [("login", "=", login)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "A user with the login %(login)s already exists.", login=login
                    )
                )
            account = account_user.account_id
            partner = account.partner_id
            if account.kind == "company" or partner.user_ids:
                partner = (
                    self.env["res.partner"]
                    .sudo()
                    .create(
                        {
                            "name": account_user.name,
                            "email": account_user.email,
                            "lang": account_user.lang,
                            "parent_id": account.partner_id.id,
                            "type": "contact",
                            "company_id": account.partner_id.company_id.id,
                        }
                    )
                )
            account_user.user_id = Users_sudo.create(
                {
                    "name": account_user.name,
                    "login": login,
                    "email": account_user.email,
                    "lang": account_user.lang,
                    "partner_id": partner.id,
                    "company_id": account.company_id.id,
                    "company_ids": [Command.set(account.company_id.ids)],
                    "groups_id": [Command.set(portal.ids)],
                }
            )
