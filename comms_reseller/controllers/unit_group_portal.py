from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

REFUSALS = (UserError, ValidationError, AccessError)


class UnitGroupPortal(CustomerPortal):
    """ "My units group": the group an account administrator owns (members,
    invitations, transfers, top-ups) and the groups its account belongs to.
    Every owner action checks the owner first; members only ever read their
    own memberships."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "comms_unit_group_count" in counters:
            Group = request.env["comms.unit.group"]
            values["comms_unit_group_count"] = (
                Group.search_count([]) if Group.has_access("read") else 0
            )
        return values

    def _units_accounts(self):
        return request.env["comms.account"].search(
            [("admin_user_id", "=", request.env.user.id)]
        )

    def _owned_group(self, group_id):
        """The group, sudoed, if the current user administers its owner."""
        try:
            group_sudo = self._document_check_access("comms.unit.group", group_id)
        except (AccessError, MissingError):
            return None
        if group_sudo.owner_account_id.admin_user_id != request.env.user:
            return None
        # Still sudo, as the owner rather than the superuser: the owner is who
        # transfers, invites or removes in the ledger, the chatter and the logs.
        return group_sudo.with_user(request.env.user).sudo()

    def _selected_members(self, group_sudo):
        form = request.httprequest.form
        ids = {int(v) for v in form.getlist("membership_ids") if v.isdigit()}
        return group_sudo.member_ids.filtered(lambda m: m.id in ids)

    @http.route(["/my/units-group"], type="http", auth="user", website=True)
    def portal_units_group(self, **kw):
        return self._render_units_group()

    def _render_units_group(self, error=None, notice=None, confirm=None, status=200):
        accounts = self._units_accounts()
        Group = request.env["comms.unit.group"]
        owned = Group.search([("owner_account_id", "in", accounts.ids)])
        memberships = request.env["comms.unit.group.member"].search(
            [("account_id", "in", accounts.ids), ("state", "=", "active")]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "comms_units_group",
                # sudo: read after the rules chose the records above; the
                # templates show members' status and units to the owner only.
                "accounts": accounts.sudo(),
                "owned_groups": owned.sudo(),
                "memberships": memberships.sudo(),
                "accounts_without_group": accounts.filtered(
                    lambda a: a not in owned.owner_account_id
                ),
                "plans": self._units_plans(accounts),
                "error": error,
                "notice": notice,
                "confirm": confirm,
            }
        )
        return request.render(
            "comms_reseller.portal_units_group", values, status=status
        )

    def _units_plans(self, accounts):
        companies = accounts.sudo().company_id
        # sudo: the plans of the user's reseller sold for units, as on the
        # reseller's own new account page.
        products = companies._comms_allowed_products().sudo().product_variant_ids
        return products.filtered(
            lambda p: p.comms_kind == "plan" and p.comms_units_price > 0
        )

    def _run(self, action, notice):
        try:
            with request.env.cr.savepoint():
                action()
        except REFUSALS as exc:
            return self._render_units_group(error=exc.args[0], status=400)
        return self._render_units_group(notice=notice)

    @http.route(
        ["/my/units-group/create"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_units_group_create(self, account_id=None, **kw):
        account = self._units_accounts().filtered(
            lambda a: str(a.id) == str(account_id)
        )
        if not account:
            return request.redirect("/my/units-group")
        # sudo: the administrator creates the group of its own account.
        return self._run(
            lambda: request.env["comms.unit.group"].sudo()._for_owner(account),
            request.env._("Your group is created."),
        )

    @http.route(
        ["/my/units-group/<int:group_id>/<string:operation>"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_units_group_operation(self, group_id, operation, **post):
        """Owner operations: rename, invite, new account, transfer, top up,
        remove, automatic top-up. Refused without a trace for anyone but the owner."""
        group_sudo = self._owned_group(group_id)
        handler = self._owner_operations().get(operation)
        if not group_sudo or not handler:
            return request.redirect("/my/units-group")
        return handler(group_sudo, post)

    def _owner_operations(self):
        return {
            "rename": self._op_rename,
            "invite": self._op_invite,
            "new-account": self._op_new_account,
            "transfer": self._op_transfer,
            "remove": self._op_remove,
            "auto-top-up": self._op_auto_top_up,
            "renew": self._op_renew,
        }

    def _op_rename(self, group_sudo, post):
        name = (post.get("name") or "").strip()

        def rename():
            if not name:
                raise UserError(request.env._("Enter the group's name."))
            group_sudo.name = name

        return self._run(rename, request.env._("The group is renamed."))

    def _op_invite(self, group_sudo, post):
        email = (post.get("email") or "").strip()
        try:
            with request.env.cr.savepoint():
                invited = group_sudo._invite(email)
        except REFUSALS as exc:
            return self._render_units_group(error=exc.args[0], status=400)
        if invited:
            return self._render_units_group(
                notice=request.env._(
                    "%(email)s is invited: the invitation is valid for 14 days.",
                    email=email,
                )
            )
        return self._render_units_group(
            confirm={"kind": "new-account", "group": group_sudo, "email": email}
        )

    def _op_new_account(self, group_sudo, post):
        plan = (
            request.env["product.product"]
            .sudo()
            .browse(
                int(post["plan_id"]) if str(post.get("plan_id", "")).isdigit() else 0
            )
            .exists()
        )
        return self._run(
            lambda: group_sudo._create_member_account(
                post.get("name"),
                (post.get("email") or "").strip(),
                plan,
                post.get("idempotency_key") or None,
            ),
            request.env._(
                "The account is created, paid with your units, and joined your group."
            ),
        )

    def _op_transfer(self, group_sudo, post):
        members = self._selected_members(group_sudo)
        mode = "top_up" if post.get("mode") == "top_up" else "transfer"
        units = post.get("units", "")
        units = int(units) if units.isdigit() else units
        if not post.get("confirmed"):
            # The confirmation repeats the amount and says it is irreversible.
            try:
                request.env["comms.unit.wallet"]._check_whole_units(units)
                members._check_active_in(group_sudo)
            except UserError as exc:
                return self._render_units_group(error=exc.args[0], status=400)
            return self._render_units_group(
                confirm={
                    "kind": "transfer",
                    "group": group_sudo,
                    "mode": mode,
                    "units": units,
                    "members": members,
                    "summary": group_sudo._transfer_summary(mode, units, len(members)),
                    "idempotency_key": group_sudo._new_idempotency_key(),
                }
            )
        key = post.get("idempotency_key") or None
        method = (
            group_sudo._top_up_members
            if mode == "top_up"
            else group_sudo._transfer_to_members
        )
        return self._run(
            lambda: method(members, units, key),
            request.env._("The units are transferred."),
        )

    def _op_auto_top_up(self, group_sudo, post):
        """Keep one member at N units, at most M a month (0 and 0: off)."""
        membership_id = str(post.get("membership_id", ""))
        membership_sudo = group_sudo.member_ids.filtered(
            lambda m: str(m.id) == membership_id
        )

        def set_auto_top_up():
            if not membership_sudo:
                raise UserError(
                    request.env._(
                        "Automatic top-ups are set for the active members of "
                        "%(group)s only.",
                        group=group_sudo.name,
                    )
                )
            membership_sudo._set_auto_top_up(
                post.get("keep_at_units"), post.get("monthly_top_up_cap")
            )

        return self._run(
            set_auto_top_up,
            request.env._(
                "The automatic top-up of %(account)s is saved.",
                account=membership_sudo.account_id.name,
            ),
        )

    def _op_remove(self, group_sudo, post):
        members = self._selected_members(group_sudo)

        def remove():
            members._check_active_in(group_sudo)
            members._remove()

        return self._run(remove, request.env._("The selected members are removed."))

    def _op_renew(self, group_sudo, post):
        members = self._selected_members(group_sudo)

        def renew():
            members._check_active_in(group_sudo)
            members.action_renew_with_units()

        return self._run(
            renew, request.env._("The selected accounts are renewed with your units.")
        )

    @http.route(
        ["/my/units-group/membership/<int:membership_id>/leave"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_units_group_leave(self, membership_id, **kw):
        try:
            membership_sudo = self._document_check_access(
                "comms.unit.group.member", membership_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my/units-group")
        account = membership_sudo.account_id
        if account.admin_user_id != request.env.user:
            # The owner reads its members' lines too; only the member leaves.
            return self._run(
                lambda: membership_sudo.group_id._leave(
                    membership_sudo.group_id.owner_account_id
                ),
                "",
            )
        return self._run(
            lambda: membership_sudo.group_id._leave(account),
            request.env._("You left the group."),
        )
