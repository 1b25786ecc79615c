import base64
import logging

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools.fax_api import FaxPayloadError, FaxReplayError, FaxSignatureError

_logger = logging.getLogger(__name__)


class FaxWebhookController(http.Controller):
    """Incoming faxes and status updates from the fax providers.

    Telnyx signs each webhook (Ed25519). Sinch does not sign: its callback URL holds
    the account's secret token. Either way, nothing is stored before the delivery
    proved it comes from the provider.
    """

    @http.route(
        "/comms/fax/telnyx/<int:provider_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def telnyx_webhook(self, provider_id, **_kwargs):
        return self._handle("telnyx", provider_id, None)

    @http.route(
        "/comms/fax/sinch/<int:provider_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def sinch_webhook(self, provider_id, token, **_kwargs):
        return self._handle("sinch", provider_id, token)

    def _handle(self, provider_type, provider_id, token):
        # As OdooBot: a public user could not attach the fax to the inbox message.
        providers = request.env["comms.fax.provider"].with_user(SUPERUSER_ID)
        provider = providers.browse(provider_id).exists()
        if not provider or provider.provider_type != provider_type:
            return self._reply(404, f"No {provider_type} fax account {provider_id}.")
        httprequest = request.httprequest
        body = httprequest.get_data()
        api = provider._get_api()
        try:
            api.verify_webhook(httprequest.headers, body, token)
        except FaxReplayError as error:
            _logger.info("%s fax webhook ignored: %s", provider.name, error)
            return self._reply(200, "Replayed delivery ignored.")
        except FaxSignatureError as error:
            _logger.warning("%s fax webhook refused: %s", provider.name, error)
            return self._reply(403, "Invalid signature.")
        try:
            event = api.parse_webhook(
                httprequest.headers, body, httprequest.form, httprequest.files
            )
        except FaxPayloadError as error:
            return self._reply(400, f"Malformed {provider_type} payload: {error}")
        return self._process(provider, event, httprequest)

    def _process(self, provider, event, httprequest):
        try:
            status, text = provider._process_event(event)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo retries the whole request
        except Exception as error:
            # Nothing half-created: undo, then keep the payload with its error.
            request.env.cr.rollback()
            request.env["comms.inbound.error"].sudo()._store(
                f"{provider.provider_type}_fax",
                self._loggable(httprequest),
                str(error),
                event.fax_ref,
            )
            if isinstance(error, UserError):
                return self._reply(422, str(error))
            _logger.exception("%s fax webhook %s failed", provider.name, event.fax_ref)
            return self._reply(500, "The fax could not be processed; it was kept.")
        return self._reply(status, text)

    def _loggable(self, httprequest):
        """The delivery as it came, the documents included (base64)."""
        if not httprequest.form:
            return httprequest.get_data().decode(errors="replace")
        payload = httprequest.form.to_dict()
        for name, upload in httprequest.files.items():
            upload.stream.seek(0)
            payload[name] = base64.b64encode(upload.read()).decode()
        return payload

    def _reply(self, status, text):
        return request.make_response(
            text, [("Content-Type", "text/plain")], status=status
        )
