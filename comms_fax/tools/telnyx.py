import base64
import binascii
import json
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .fax_api import (
    FaxApi,
    FaxApiError,
    FaxEvent,
    FaxPayloadError,
    FaxReplayError,
    FaxSignatureError,
)

# Telnyx fax events and the state of our outgoing fax each one means.
STATUS_EVENTS = {
    "fax.queued": "queued",
    "fax.media.processed": "queued",
    "fax.sending.started": "sending",
    "fax.delivered": "sent",
    "fax.failed": "failed",
}


class TelnyxFaxApi(FaxApi):
    """Telnyx Programmable Fax: JSON API with a bearer key, Ed25519-signed webhooks."""

    provider_type = "telnyx"
    provider_name = "Telnyx Programmable Fax"
    default_base_url = "https://api.telnyx.com"

    def _headers(self):
        return {
            "Authorization": f"Bearer {self.provider.api_key or ''}",
            "Accept": "application/json",
        }

    def _error_text(self, response):
        try:
            error = response.json()["errors"][0]
            return error.get("detail") or error.get("title") or response.reason
        except (ValueError, KeyError, IndexError, TypeError):
            return super()._error_text(response)

    def send(self, from_number, to_number, document, filename, callback_url, reference):
        # Telnyx takes no idempotency key for faxes; client_state (base64) comes back
        # in every webhook of the fax, which finds the fax again by its reference.
        response = self._request(
            "POST",
            "/v2/faxes",
            headers=self._headers(),
            data={
                "connection_id": self.provider.connection_id or "",
                "to": to_number,
                "from": from_number,
                "webhook_url": callback_url,
                "client_state": base64.b64encode(reference.encode()).decode(),
            },
            files={"contents": (filename, document, "application/pdf")},
        )
        try:
            return self._json(response)["data"]["id"]
        except (KeyError, TypeError) as error:
            raise self._missing_id() from error

    def _missing_id(self):
        return FaxApiError(self.env._("The provider did not return the fax's id."))

    def test_connection(self):
        self._request(
            "GET", "/v2/faxes", headers=self._headers(), params={"page[size]": 1}
        )

    def verify_webhook(self, headers, body, token=None):
        signature = headers.get("telnyx-signature-ed25519")
        timestamp = headers.get("telnyx-timestamp")
        public_key = self.provider.public_key
        if not (signature and timestamp and public_key):
            raise FaxSignatureError("missing signature, timestamp or public key")
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
            key.verify(base64.b64decode(signature), timestamp.encode() + b"|" + body)
            sent_at = int(timestamp)
        except (InvalidSignature, ValueError, binascii.Error) as error:
            raise FaxSignatureError("invalid signature") from error
        if abs(time.time() - sent_at) > self.provider.replay_window:
            raise FaxReplayError(f"timestamp {timestamp} outside the replay window")

    def parse_webhook(self, headers, body, form, files):
        try:
            data = json.loads(body)["data"]
            event_type, payload = data["event_type"], data["payload"]
            event_ref = data["id"]
        except (ValueError, KeyError, TypeError) as error:
            raise FaxPayloadError(
                "A Telnyx webhook is JSON with data.id, data.event_type and "
                "data.payload."
            ) from error
        event = FaxEvent(
            "ignored",
            event_ref=event_ref,
            fax_ref=payload.get("fax_id"),
            reference=self._client_state(payload),
        )
        if event_type == "fax.received":
            event.kind = "received"
            # A caller who withheld their number sends "anonymous", "" or no from.
            event.from_number = payload.get("from") or ""
            event.to_number = payload.get("to")
            event.media_url = payload.get("media_url")
            if not (event.fax_ref and event.to_number):
                raise FaxPayloadError("fax.received needs fax_id and to.")
            if not event.media_url:
                raise FaxPayloadError("fax.received without media_url.")
        elif event_type in STATUS_EVENTS:
            event.kind = "status"
            event.state = STATUS_EVENTS[event_type]
            event.error = payload.get("failure_reason") or ""
            if not event.fax_ref:
                raise FaxPayloadError(f"{event_type} without fax_id.")
        return event

    def _client_state(self, payload):
        try:
            return base64.b64decode(payload.get("client_state") or "").decode()
        except (ValueError, TypeError, binascii.Error):
            return ""
