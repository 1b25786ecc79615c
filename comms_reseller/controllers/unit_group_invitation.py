from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .signed_link import signed_link_record


class UnitGroupInvitationController(http.Controller):
    """The Accept / Decline buttons of a units group invitation email: a signed
    link bound to one invitation, valid 14 days and answered once, usable
    without logging in. It shows the group and its owner's name, nothing of
    the owner's wallet or members."""

    def _invitation(self, membership_id, expires, token):
        """(invitation sudo, None) for a valid link, or (None, error page)."""
        return signed_link_record(
            "comms.unit.group.member",
            membership_id,
            expires,
            token,
            "comms_reseller.unit_group_invitation_page",
            {
                "expired": request.env._(
                    "This invitation has expired. Ask the group's owner to invite "
                    "you again."
                ),
                "used": request.env._(
                    "This invitation was already answered, withdrawn or has "
                    "expired: nothing was changed."
                ),
            },
        )

    @http.route(
        "/units/invitation/<int:membership_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def invitation_page(self, membership_id, expires, token, answer=None, **kw):
        membership_sudo, error_page = self._invitation(membership_id, expires, token)
        if error_page:
            return error_page
        return request.render(
            "comms_reseller.unit_group_invitation_page",
            {
                "group_name": membership_sudo.group_id.name,
                "owner_name": membership_sudo.group_id.owner_account_id.name,
                "account_name": membership_sudo.account_id.name,
                "answer": answer if answer in ("accept", "decline") else None,
                "action_url": request.httprequest.path,
            },
        )

    @http.route(
        "/units/invitation/<int:membership_id>/<int:expires>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def invitation_answer(self, membership_id, expires, token, answer=None, **kw):
        membership_sudo, error_page = self._invitation(membership_id, expires, token)
        if error_page:
            return error_page
        values = {"group_name": membership_sudo.group_id.name}
        try:
            if answer == "accept":
                membership_sudo._accept()
            elif answer == "decline":
                membership_sudo._decline()
            else:
                raise UserError(request.env._("Choose Accept or Decline."))
        except UserError as error:
            values["refusal"] = error.args[0]
            return request.render(
                "comms_reseller.unit_group_invitation_page", values, status=400
            )
        values["answered"] = answer
        return request.render("comms_reseller.unit_group_invitation_page", values)
