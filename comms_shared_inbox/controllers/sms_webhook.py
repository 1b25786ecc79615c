import base64
import hashlib
import hmac
import logging

from werkzeug.urls import url_join

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

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
            return self._reply(
                400, "Malformed Twilio payload: From, To and MessageSid are required."
            )
        group = request.env["comms.group"].sudo()._find_by_sms_number(to)
        if not group:
            return self._reply(404, f"No shared inbox group has the number {to}.")
        if not self._valid_signature(group.company_id, params):
            _logger.warning("Twilio inbound SMS %s: bad signature", sid)
            return self._reply(403, "Invalid X-Twilio-Signature.")
        try:
            group._receive_sms(sender, params.get("Body"), sid)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo retries the whole request
        except Exception as error:
            # Nothing half-created: undo, then keep the payload with its error.
            request.env.cr.rollback()
            request.env["comms.inbound.error"]._store(
                "twilio_sms", params, str(error), sid
            )
            if isinstance(error, UserError):  # ValidationError included
                return self._reply(422, str(error))
            _logger.exception("Twilio inbound SMS %s failed", sid)
            return self._reply(500, "The message could not be processed; it was kept.")
        return request.make_response(EMPTY_TWIML, [("Content-Type", "text/xml")])

    def _valid_signature(self, company, params):
        token = company.sudo().sms_twilio_auth_token
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

    def _reply(self, status, text):
        return request.make_response(
            text, [("Content-Type", "text/plain")], status=status
        )
