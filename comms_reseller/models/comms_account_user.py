import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.extension_plan import ExtensionPlan

_logger = logging.getLogger(__name__)


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
    extension = fields.Char(
        copy=False,
        index=True,
        help="Given by the system: the lowest free one of the users range of the "
        "account's organization. Unique within the organization, and never the "
        "beginning of another extension (200 and 2000 cannot both exist).",
    )
    orgid = fields.Char(
        string="ORGID", related="account_id.orgid", store=True, index=True
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
        # The last guard if two transactions ever gave the same extension.
        (
            "extension_orgid_uniq",
            "UNIQUE(orgid, extension)",
            "An extension is given to one user of the organization only.",
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

    @api.constrains("extension", "account_id")
    def _check_extension_clash(self):
        for user in self.filtered("extension"):
            user.account_id._check_extension_free(user, user.extension)

    def _check_extension_requested(self, extension):
        """An extension chosen by hand: digits of the users range in force."""
        for user in self:
            organization = user.account_id._extension_organization()
            start = organization.extension_user_start
            end = organization.extension_user_end
            if not (
                extension.isdigit()
                and not extension.startswith("0")
                and start <= int(extension) <= end
            ):
                raise ValidationError(
                    self.env._(
                        "The extension %(extension)s is not in the users range "
                        "%(start)s–%(end)s of %(organization)s.",
                        extension=extension,
                        start=start,
                        end=end,
                        organization=organization.display_name,
                    )
                )

    def _assign_extensions(self):
        """Give each user the lowest free extension of its organization's users
        range."""
        Account = self.env["comms.account"]
        organizations = Account.union(
            *(account._extension_organization() for account in self.account_id)
        )
        for organization in organizations:
            plan = ExtensionPlan(
                extension
                for _owner, extension in organization._organization_extensions()
            )
            users = self.filtered(
                lambda u, o=organization: u.account_id._extension_organization() == o
            )
            for user in users.sorted(lambda u: (u.account_id.id, u.sequence, u.id)):
                extension = plan.lowest_free(
                    organization.extension_user_start, organization.extension_user_end
                )
                if not extension:
                    raise UserError(
                        self.env._(
                            "The users range %(start)s–%(end)s of %(organization)s "
                            "has no free extension left for %(user)s: widen it "
                            "first.",
                            start=organization.extension_user_start,
                            end=organization.extension_user_end,
                            organization=organization.display_name,
                            user=user.name,
                        )
                    )
                plan.take(extension)
                user._write_extensions({user.id: extension})

    def _write_extensions(self, extensions):
        """Write the extensions given by the system ({user id: extension}),
        without the check of the hand-chosen ones."""
        for user in self:
            super(CommsAccountUser, user).write({"extension": extensions[user.id]})
        return True

    @api.model
    def _assign_missing_extensions(self):
        """Users from before extensions existed get one (run on module update).
        An organization whose users range is too small keeps its users without
        one, logged, rather than stopping the update."""
        users = self.search([("extension", "=", False)])
        users.account_id._lock_extension_plans()
        by_organization = users.grouped(
            lambda u: u.account_id._extension_organization()
        )
        for organization, organization_users in by_organization.items():
            try:
                with self.env.cr.savepoint():
                    organization_users._assign_extensions()
            except UserError as error:
                _logger.warning(
                    "Users of %s left without extension: %s", organization.cid, error
                )

    @api.model_create_multi
    def create(self, vals_list):
        accounts = self.env["comms.account"].browse(
            {vals["account_id"] for vals in vals_list if vals.get("account_id")}
        )
        accounts._lock_extension_plans()
        records = super().create(vals_list)
        for record in records.filtered("extension"):
            record._check_extension_requested(record.extension)
        records.filtered(lambda u: not u.extension)._assign_extensions()
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
        if "extension" in vals:
            self.account_id._lock_extension_plans()
            self._check_extension_requested(vals["extension"] or "")
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
