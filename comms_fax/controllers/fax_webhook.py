import base64
import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from odoo.addons.comms_shared_inbox.controllers.webhook import (
    process_or_keep,
    text_reply,
)

from ..tools.fax_api import FaxPayloadError, FaxReplayError, FaxSignatureError

_logger = logging.getLogger(__name__)


class FaxWebhookController(http.Controller):
    """Incoming faxes and status updates from every fax provider.

    The provider's API class checks the delivery (a signature, or the secret token
    ending the URL for providers that do not sign) before anything is stored.
    """

    @http.route(
        [
            "/comms/fax/<string:provider_type>/<int:provider_id>",
            "/comms/fax/<string:provider_type>/<int:provider_id>/<string:token>",
        ],
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def fax_webhook(self, provider_type, provider_id, token=None, **_kwargs):
        # As OdooBot: a public user could not attach the fax to the inbox message.
        providers = request.env["comms.fax.provider"].with_user(SUPERUSER_ID)
        provider = providers.browse(provider_id).exists()
        if not provider or provider.provider_type != provider_type:
            return text_reply(404, f"No {provider_type} fax account {provider_id}.")
        httprequest = request.httprequest
        body = httprequest.get_data()
        api = provider._get_api()
        try:
            api.verify_webhook(httprequest.headers, body, token)
        except FaxReplayError as error:
            _logger.info("%s fax webhook ignored: %s", provider.name, error)
            return text_reply(200, "Replayed delivery ignored.")
        except FaxSignatureError as error:
            _logger.warning("%s fax webhook refused: %s", provider.name, error)
            return text_reply(403, "Invalid signature.")
        try:
            event = api.parse_webhook(
                httprequest.headers, body, httprequest.form, httprequest.files
            )
        except FaxPayloadError as error:
            return text_reply(400, f"Malformed {provider_type} payload: {error}")
        return self._process(provider, event, httprequest)

    def _process(self, provider, event, httprequest):
        return process_or_keep(
            f"{provider.provider_type}_fax",
            lambda: self._loggable(httprequest),
            event.fax_ref,
            lambda: text_reply(*provider._process_event(event)),
        )

    def _loggable(self, httprequest):
        """The delivery as it came, the documents included (base64)."""
        if not httprequest.form:
            return httprequest.get_data().decode(errors="replace")
        payload = httprequest.form.to_dict()
        for name, upload in httprequest.files.items():
            upload.stream.seek(0)
            payload[name] = base64.b64encode(upload.read()).decode()
        return payload
