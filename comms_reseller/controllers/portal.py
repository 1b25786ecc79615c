from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import single_email_re

from odoo.addons.portal.controllers.portal import CustomerPortal

UNITS_LEDGER_LINES = 20


class ResellerPortal(CustomerPortal):
    """ "My subscription": the account an account administrator manages."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "comms_account_count" in counters:
            Account = request.env["comms.account"]
            values["comms_account_count"] = (
                Account.search_count(self._comms_account_domain())
                if Account.has_access("read")
                else 0
            )
        return values

    def _comms_account_domain(self):
        return [("admin_user_id", "=", request.env.user.id)]

    def _comms_account_check(self, account_id):
        """The account, sudoed, if the current user administers it; None otherwise."""
        try:
            return self._document_check_access("comms.account", account_id)
        except (AccessError, MissingError):
            return None

    @http.route(["/my/support-access/end"], type="http", auth="user", website=True)
    def portal_support_access_end(self, **kw):
        """Back from a client's portal to the reseller user who accessed it."""
        if request.session.get("impersonate_from_uid"):
            # sudo: impersonate_login names the reseller user in its log line, a
            # user the client's portal user may not read. Only the session's own
            # impersonation is ended.
            users_sudo = request.env["res.users"].sudo()
            users_sudo.back_to_origin_login()
            return request.redirect("/odoo")
        return request.redirect("/my")

    @http.route(["/my/subscription"], type="http", auth="user", website=True)
    def portal_my_subscription(self, **kw):
        accounts = request.env["comms.account"].search(self._comms_account_domain())
        if len(accounts) == 1:
            return request.redirect(f"/my/subscription/{accounts.id}")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "accounts": accounts.sudo(),
                "page_name": "comms_subscription",
                "default_url": "/my/subscription",
            }
        )
        return request.render("comms_reseller.portal_my_subscriptions", values)

    @http.route(
        ["/my/subscription/<int:account_id>"], type="http", auth="user", website=True
    )
    def portal_subscription(self, account_id, **kw):
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        return self._render_subscription(account_sudo)

    def _render_subscription(self, account_sudo, error=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "account": account_sudo,
                "invoices": account_sudo._get_invoices().filtered(
                    lambda move: move.state == "posted"
                ),
                "page_name": "comms_subscription_detail",
                "can_manage_users": account_sudo._portal_can_manage_users(),
                "langs": request.env["res.lang"].get_installed(),
                "error": error,
                **self._comms_units_values(account_sudo),
            }
        )
        return request.render(
            "comms_reseller.portal_subscription", values, status=status
        )

    def _comms_units_values(self, account_sudo):
        # Read as the portal user, not sudo: the record rules show their own
        # account's wallet and ledger only.
        wallet = request.env["comms.unit.wallet"].search(
            [("account_id", "=", account_sudo.id)], limit=1
        )
        moves = request.env["comms.unit.move"].search(
            [("wallet_id", "=", wallet.id)], limit=UNITS_LEDGER_LINES
        )
        # sudo: the packs on sale are the reseller's public offer, products a
        # portal user may not read.
        packs_sudo = (
            request.env["account.move"]
            .sudo()
            ._comms_units_packs(account_sudo.company_id)
        )
        return {
            "units_wallet": wallet,
            "units_moves": moves,
            "units_packs": packs_sudo,
            "units_can_edit": account_sudo._portal_can_edit(),
        }

    @http.route(
        ["/my/subscription/<int:account_id>/units/buy"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_subscription_buy_units(self, account_id, pack_id=None, **post):
        """The account's administrator buys a units pack: an invoice of the
        account, paid online on Odoo's invoice page; the units are credited
        when it is paid."""
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        packs_sudo = self._comms_units_values(account_sudo)["units_packs"]
        pack_sudo = packs_sudo.filtered(lambda pack: str(pack.id) == pack_id)
        if not pack_sudo:
            return self._render_subscription(
                account_sudo,
                error=request.env._("Choose one of the units packs on offer."),
                status=400,
            )
        try:
            with request.env.cr.savepoint():
                # sudo: the administrator, checked above, may not create
                # invoices; the invoice is the account's, for a pack on offer.
                invoice_sudo = (
                    request.env["account.move"]
                    .sudo()
                    ._comms_create_units_invoice(account_sudo, pack_sudo, 1)
                )
        except UserError as exc:
            return self._render_subscription(
                account_sudo, error=exc.args[0], status=400
            )
        return request.redirect(invoice_sudo.get_portal_url())

    @http.route(
        ["/my/subscription/<int:account_id>/units/auto-buy"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_subscription_auto_buy(self, account_id, **post):
        """The account's administrator turns the wallet's auto-buy on or off and
        chooses its pack, level and monthly cap."""
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        values, error = self._comms_auto_buy_values(account_sudo, post)
        if error:
            return self._render_subscription(account_sudo, error=error, status=400)
        try:
            with request.env.cr.savepoint():
                # sudo: the portal user reads the wallet only; the account's
                # own administrator, checked above, changes its auto-buy here.
                account_sudo._units_wallet()._portal_set_auto_buy(values)
        except AccessError as exc:
            return self._render_subscription(
                account_sudo, error=exc.args[0], status=403
            )
        except (UserError, ValidationError) as exc:
            return self._render_subscription(
                account_sudo, error=exc.args[0], status=400
            )
        return request.redirect(f"/my/subscription/{account_sudo.id}?auto_buy=saved")

    def _comms_auto_buy_values(self, account_sudo, post):
        """The auto-buy values of the form, or the error to show."""
        values = {"auto_buy": bool(post.get("auto_buy"))}
        try:
            values["auto_buy_below"] = int(post.get("auto_buy_below") or 0)
            values["auto_buy_cap"] = int(post.get("auto_buy_cap") or 0)
        except ValueError:
            values["auto_buy_below"] = -1
        if values["auto_buy_below"] < 0 or values["auto_buy_cap"] < 0:
            return None, request.env._(
                "Enter whole numbers, 0 or more, for the balance and the monthly cap."
            )
        pack_id = post.get("pack_id")
        if pack_id or values["auto_buy"]:
            packs_sudo = self._comms_units_values(account_sudo)["units_packs"]
            pack_sudo = packs_sudo.filtered(lambda pack: str(pack.id) == pack_id)
            if not pack_sudo:
                return None, request.env._("Choose one of the units packs on offer.")
            values["auto_buy_product_id"] = pack_sudo.id
        return values, None

    @http.route(
        ["/my/subscription/<int:account_id>/statement"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_subscription_statement(self, account_id, **kw):
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        return self._show_report(
            model=account_sudo,
            report_type="pdf",
            report_ref="comms_reseller.action_report_account_statement",
            download=True,
        )

    @http.route(
        [
            "/my/subscription/<int:account_id>/user/<int:user_id>",
            "/my/subscription/<int:account_id>/user/new",
        ],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_subscription_user(self, account_id, user_id=None, **post):
        """Add a user to the account, or edit one, as its administrator."""
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        if not account_sudo._portal_can_manage_users():
            return self._render_subscription(
                account_sudo,
                error=account_sudo._portal_user_management_refusal(),
                status=403,
            )
        values = {
            key: (post.get(key) or "").strip() for key in ("name", "email", "lang")
        }
        error = self._comms_user_error(values)
        if not error:
            try:
                with request.env.cr.savepoint():
                    account_sudo._portal_save_user(user_id, values)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
        if error:
            return self._render_subscription(account_sudo, error=error, status=400)
        return request.redirect(f"/my/subscription/{account_sudo.id}")

    def _comms_user_error(self, values):
        if not values["name"]:
            return request.env._("Enter the user's name.")
        if not single_email_re.match(values["email"]):
            return request.env._("Enter a valid email address.")
        installed = dict(request.env["res.lang"].get_installed())
        if values["lang"] not in installed:
            return request.env._("Choose a language.")
        return None
