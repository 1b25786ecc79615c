from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .portal import ResellerPortal


class ResellerPortalSettings(ResellerPortal):
    """The settings a subscriber changes on "My subscription"."""

    @http.route(
        ["/my/subscription/<int:account_id>/pin"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_subscription_pin(self, account_id, pin="", pin_confirm="", **post):
        """The professional's PIN, typed twice."""
        account_sudo = self._comms_account_check(account_id)
        if not account_sudo:
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                account_sudo._portal_set_pin(pin.strip(), pin_confirm.strip())
        except AccessError as exc:
            return self._render_subscription(
                account_sudo, error=exc.args[0], status=403
            )
        except UserError as exc:
            return self._render_subscription(
                account_sudo, error=exc.args[0], status=400
            )
        return request.redirect(f"/my/subscription/{account_sudo.id}?pin=changed")
