from odoo import http
from odoo.exceptions import UserError
from odoo.http import request


class ScanLinkController(http.Controller):
    """The "Request scan" button of the notification email: a signed link bound
    to one item and its client, valid for a limited time, usable without
    logging in."""

    def _scan_link_item(self, item_id, expires, token):
        """(item sudo, None) for a valid link, or (None, error page)."""
        # The link works without logging in: its signature is the access check.
        item_sudo = request.env["comms.mail.item"].sudo().browse(item_id).exists()
        status = item_sudo._check_scan_link(expires, token) if item_sudo else "invalid"
        if status == "valid":
            return item_sudo, None
        if status == "expired":
            message = request.env._(
                "This link has expired. Log in to your account to request the scan."
            )
        else:
            message = request.env._("This link is not valid.")
        page = request.render(
            "comms_virtual_office.scan_request_page",
            {"refusal": message, "link_error": status},
            status=403,
        )
        return None, page

    @http.route(
        "/office/scan/<int:item_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def scan_link_confirm(self, item_id, expires, token, **kw):
        item_sudo, error_page = self._scan_link_item(item_id, expires, token)
        if error_page:
            return error_page
        return request.render(
            "comms_virtual_office.scan_request_page",
            {
                "item": item_sudo,
                "refusal": item_sudo._scan_request_refusal(),
                "confirmation_text": item_sudo.company_id.office_scan_confirmation_text,
                "action_url": request.httprequest.path,
            },
        )

    @http.route(
        "/office/scan/<int:item_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def scan_link_request(self, item_id, expires, token, **kw):
        item_sudo, error_page = self._scan_link_item(item_id, expires, token)
        if error_page:
            return error_page
        try:
            item_sudo._request_scan(channel="email")
        except UserError as error:
            return request.render(
                "comms_virtual_office.scan_request_page",
                {"item": item_sudo, "refusal": error.args[0]},
            )
        return request.render(
            "comms_virtual_office.scan_request_page",
            {"item": item_sudo, "requested": True},
        )
