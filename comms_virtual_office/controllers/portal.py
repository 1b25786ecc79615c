from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class OfficePortal(CustomerPortal):
    """ "My mail": a client's items, their scans, scan requests and costs."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "office_mail_count" in counters:
            Item = request.env["comms.mail.item"]
            values["office_mail_count"] = (
                Item.search_count(self._office_mail_domain())
                if Item.has_access("read")
                else 0
            )
        return values

    def _office_mail_domain(self):
        partner = request.env.user.partner_id
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    def _office_mail_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "to_collect": {
                "label": request.env._("To collect"),
                "domain": [("state", "=", "to_collect")],
            },
        }

    def _office_item_check(self, item_id, access_token=None):
        """The item, sudoed, if the current user may see it; None otherwise."""
        try:
            return self._document_check_access("comms.mail.item", item_id, access_token)
        except (AccessError, MissingError):
            return None

    @http.route(
        ["/my/mail", "/my/mail/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_mail(self, page=1, filterby=None, **kw):
        Item = request.env["comms.mail.item"]
        filters = self._office_mail_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._office_mail_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/mail",
            url_args={"filterby": filterby},
            total=Item.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        items = Item.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_office_mail_history"] = items.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Searched as the client; shown sudo for their scans and costs.
                "items": items.sudo(),
                "page_name": "office_mail",
                "pager": pager,
                "default_url": "/my/mail",
                "searchbar_filters": filters,
                "filterby": filterby,
                "scan_requested": kw.get("scan_requested"),
            }
        )
        return request.render("comms_virtual_office.portal_my_mail", values)

    @http.route(["/my/mail/<int:item_id>"], type="http", auth="public", website=True)
    def portal_mail_item(self, item_id, access_token=None, **kw):
        item_sudo = self._office_item_check(item_id, access_token)
        if not item_sudo:
            return request.redirect("/my")
        values = self._get_page_view_values(
            item_sudo,
            access_token,
            {"item": item_sudo, "page_name": "office_mail_item"},
            "my_office_mail_history",
            False,
        )
        return request.render("comms_virtual_office.portal_mail_item", values)

    @http.route(
        ["/my/mail/<int:item_id>/request_scan"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_scan_request_confirm(self, item_id, **kw):
        item_sudo = self._office_item_check(item_id)
        if not item_sudo:
            return request.redirect("/my")
        return request.render(
            "comms_virtual_office.scan_request_page",
            {
                "item": item_sudo,
                "refusal": item_sudo._scan_request_refusal(),
                "confirmation_text": item_sudo.company_id.office_scan_confirmation_text,
                "action_url": f"/my/mail/{item_sudo.id}/request_scan",
                "back_url": "/my/mail",
            },
        )

    @http.route(
        ["/my/mail/<int:item_id>/request_scan"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_scan_request(self, item_id, **kw):
        # Ownership is checked as the client; the request is then created sudo,
        # since clients have no create right on scan requests.
        item_sudo = self._office_item_check(item_id)
        if not item_sudo:
            return request.redirect("/my")
        try:
            item_sudo._request_scan(channel="portal")
        except UserError as error:
            return request.render(
                "comms_virtual_office.scan_request_page",
                {"item": item_sudo, "refusal": error.args[0], "back_url": "/my/mail"},
            )
        return request.redirect(f"/my/mail?scan_requested={item_sudo.id}")

    @http.route(
        ["/my/mail/<int:item_id>/scan/<int:attachment_id>"],
        type="http",
        auth="public",
    )
    def portal_scan_download(self, item_id, attachment_id, access_token=None, **kw):
        item_sudo = self._office_item_check(item_id, access_token)
        attachment = item_sudo and item_sudo.scan_ids.filtered(
            lambda att: att.id == attachment_id
        )
        if not attachment:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(attachment)
        return stream.get_response(as_attachment=True)
