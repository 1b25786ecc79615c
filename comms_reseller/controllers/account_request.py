from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from .signed_link import signed_link_record


class AccountRequestController(http.Controller):
    """The client's part of the new account wizard: a signed link bound to one
    request, valid for a limited time and once, usable without logging in."""

    def _link_request(self, request_id, expires, token):
        """(request sudo, None) for a valid link, or (None, error page)."""
        return signed_link_record(
            "comms.account.request",
            request_id,
            expires,
            token,
            "comms_reseller.account_request_page",
            {
                "expired": request.env._(
                    "This link has expired. Ask your reseller to send you a new one."
                ),
                "used": request.env._(
                    "This link was already used: your account is created. Check "
                    "your email to choose your password."
                ),
            },
        )

    def _page_values(self, request_sudo, error=None):
        company = request_sudo.company_id
        # The client sees the offers of their reseller: the signed link is the
        # access check.
        products = company._comms_allowed_products().sudo().product_variant_ids
        return {
            "account_request": request_sudo,
            "steps": request_sudo.remaining_steps(),
            "plans": products.filtered(lambda p: p.comms_kind == "plan"),
            "options": products.filtered(lambda p: p.comms_kind == "option"),
            "devices": products.filtered(lambda p: p.comms_kind == "device"),
            "numbers": request.env["comms.number"]
            .sudo()
            .search(
                [("company_id", "=", company.id), ("state", "=", "available")],
                limit=50,
            )
            | request_sudo.number_ids,
            "countries": request.env["res.country"].sudo().search([]),
            "langs": request.env["res.lang"].get_installed(),
            "timezones": request_sudo._tz_get(),
            "card_allowed": bool(company._comms_card_provider()),
            "action_url": request.httprequest.path,
            "error": error,
        }

    @http.route(
        "/reseller/new-account/<int:request_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def account_request_form(self, request_id, expires, token, **kw):
        request_sudo, error_page = self._link_request(request_id, expires, token)
        if error_page:
            return error_page
        return request.render(
            "comms_reseller.account_request_page", self._page_values(request_sudo)
        )

    @http.route(
        "/reseller/new-account/<int:request_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def account_request_submit(self, request_id, expires, token, **kw):
        request_sudo, error_page = self._link_request(request_id, expires, token)
        if error_page:
            return error_page
        form = request.httprequest.form
        values = {}
        for name in request_sudo._portal_fields():
            if request_sudo._fields[name].type == "many2many":
                values[name] = form.getlist(name)
            elif name in form:
                values[name] = form[name]
        try:
            # Nothing the client entered is kept when the account is refused.
            with request.env.cr.savepoint():
                request_sudo._portal_write(values)
                request_sudo._as_account_manager().action_create_account()
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "comms_reseller.account_request_page",
                self._page_values(request_sudo, error=error.args[0]),
            )
        return request.render(
            "comms_reseller.account_request_page",
            {"account_request": request_sudo, "created": True},
        )
