from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


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
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "account": account_sudo,
                "invoices": account_sudo._get_invoices().filtered(
                    lambda move: move.state == "posted"
                ),
                "page_name": "comms_subscription_detail",
            }
        )
        return request.render("comms_reseller.portal_subscription", values)
