import base64
import hashlib
import hmac
import logging

from werkzeug.urls import url_join

from odoo import http
from odoo.http import request

from .webhook import process_or_keep, text_reply

_logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def twilio_signature(auth_token, url, params):
    """Twilio's X-Twilio-Signature: HMAC-SHA1 of the URL followed by the sorted
    POST parameters, base64 encoded."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class SmsWebhookController(http.Controller):
    _inbound_path = "/comms/sms/twilio/inbound"

    @http.route(
        _inbound_path,
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def twilio_inbound(self, **_kwargs):
        params = request.httprequest.form.to_dict()
        sid, sender, to = params.get("MessageSid"), params.get("From"), params.get("To")
        if not (sid and sender and to):
            return text_reply(
                400, "Malformed Twilio payload: From, To and MessageSid are required."
            )
        # sudo: Twilio calls as the public user; the signature check below guards it
        group = request.env["comms.group"].sudo()._find_by_sms_number(to)
        if not group:
            return text_reply(404, f"No shared inbox group has the number {to}.")
        if not self._valid_signature(group.company_id, params):
            _logger.warning("Twilio inbound SMS %s: bad signature", sid)
            return text_reply(403, "Invalid X-Twilio-Signature.")
        return process_or_keep(
            "twilio_sms",
            params,
            sid,
            lambda: self._receive(group, sender, params.get("Body"), sid),
        )

    def _receive(self, group, sender, body, sid):
        group._receive_sms(sender, body, sid)
        return request.make_response(EMPTY_TWIML, [("Content-Type", "text/xml")])

    def _valid_signature(self, company, params):
        token = company.sudo().sms_twilio_auth_token  # sudo: admin-only secret
        signature = request.httprequest.headers.get("X-Twilio-Signature", "")
        if not token or not signature:
            return False
        # Twilio signs the URL it was given; behind a proxy that is the public one.
        urls = {
            url_join(company.get_base_url(), self._inbound_path),
            request.httprequest.url,
        }
        return any(
            hmac.compare_digest(twilio_signature(token, url, params), signature)
            for url in urls
        )
