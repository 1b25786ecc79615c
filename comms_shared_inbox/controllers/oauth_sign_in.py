"""After Odoo's own Google / Microsoft sign-in of an outgoing address: test it, then
show it in the outgoing address form (Odoo would open the raw mail server form)."""

import json

from odoo import http
from odoo.http import request

from odoo.addons.google_gmail.controllers.main import GoogleGmailController
from odoo.addons.microsoft_outlook.controllers.main import MicrosoftOutlookController


def _test_signed_in_address(response, state):
    """Odoo's callback answers a redirection only when it stored the tokens."""
    if getattr(response, "status_code", None) not in (301, 302, 303):
        return response
    values = json.loads(state)
    if values["model"] != "ir.mail_server":
        return response
    address = request.env["ir.mail_server"].browse(values["id"])
    if not address.comms_is_address:
        return response
    address._comms_run_test()
    action = "action-comms_shared_inbox.ir_mail_server_action_comms"
    if address.comms_owner_id:
        action = "action-comms_shared_inbox.ir_mail_server_action_comms_personal"
    return request.redirect(f"/odoo/{action}/{address.id}")


class CommsGoogleGmailController(GoogleGmailController):
    @http.route()
    def google_gmail_callback(self, code=None, state=None, error=None, **kwargs):
        response = super().google_gmail_callback(
            code=code, state=state, error=error, **kwargs
        )
        return _test_signed_in_address(response, state)


class CommsMicrosoftOutlookController(MicrosoftOutlookController):
    @http.route()
    def microsoft_outlook_callback(
        self, code=None, state=None, error_description=None, **kwargs
    ):
        response = super().microsoft_outlook_callback(
            code=code, state=state, error_description=error_description, **kwargs
        )
        return _test_signed_in_address(response, state)
