import base64
import binascii
import hmac
import json

from .fax_api import (
    FaxApi,
    FaxApiError,
    FaxEvent,
    FaxPayloadError,
    FaxSignatureError,
)

# Sinch fax statuses and the state of our outgoing fax each one means.
STATUSES = {
    "QUEUED": "queued",
    "IN_PROGRESS": "sending",
    "COMPLETED": "sent",
    "FAILURE": "failed",
}


# The label carrying our reference of an outgoing fax (Sinch echoes labels back).
REFERENCE_LABEL = "comms_reference"


class SinchFaxApi(FaxApi):
    """Sinch Fax API v3: basic auth with a project key; callbacks as multipart or
    JSON. Sinch does not sign callbacks: each account's callback URL carries a
    secret token of its own (the account's webhook_token) instead."""

    provider_type = "sinch"
    provider_name = "Sinch Fax API"
    default_base_url = "https://fax.api.sinch.com"

    def webhook_path(self):
        return f"{super().webhook_path()}/{self.provider.webhook_token}"

    def _auth(self):
        return (self.provider.key_id or "", self.provider.key_secret or "")

    def _faxes_url(self):
        return f"/v3/projects/{self.provider.project_id or ''}/faxes"

    def _error_text(self, response):
        try:
            data = response.json()
        except ValueError:
            return super()._error_text(response)
        if isinstance(data, dict):
            nested = data.get("error") if isinstance(data.get("error"), dict) else {}
            message = data.get("message") or nested.get("message")
            if message:
                return message
        return super()._error_text(response)

    def send(self, from_number, to_number, document, filename, callback_url, reference):
        # Sinch takes no idempotency key; the fax's labels come back in its
        # callbacks, which find the fax again by its reference. An object in a
        # multipart request is a JSON part (OpenAPI's default encoding).
        labels = json.dumps({REFERENCE_LABEL: reference})
        response = self._request(
            "POST",
            self._faxes_url(),
            auth=self._auth(),
            data={
                "to": to_number,
                "from": from_number,
                "callbackUrl": callback_url,
                "callbackUrlContentType": "application/json",
            },
            files={
                "labels": (None, labels, "application/json"),
                "file": (filename, document, "application/pdf"),
            },
        )
        fax_id = self._json(response).get("id")
        if not fax_id:
            raise FaxApiError(self.env._("The provider did not return the fax's id."))
        return fax_id

    def test_connection(self):
        self._request(
            "GET", self._faxes_url(), auth=self._auth(), params={"pageSize": 1}
        )

    def verify_webhook(self, headers, body, token):
        expected = self.provider.webhook_token or ""
        if not (expected and token and hmac.compare_digest(token, expected)):
            raise FaxSignatureError("wrong callback token")

    def parse_webhook(self, headers, body, form, files):
        try:
            if form.get("event"):
                event_name, fax = form["event"], json.loads(form.get("fax") or "{}")
                upload = files.get("file")
                document = upload.read() if upload else b""
                mimetype = (upload.mimetype if upload else "") or "application/pdf"
            else:
                data = json.loads(body)
                event_name, fax = data["event"], data.get("fax") or {}
                document = base64.b64decode(data.get("file") or "")
                mimetype = (
                    "image/tiff" if data.get("fileType") == "TIF" else "application/pdf"
                )
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise FaxPayloadError(
                "A Sinch callback has an event and a fax object, as multipart form "
                "data or JSON."
            ) from error
        return self._event(event_name, fax, document, mimetype)

    def _event(self, event_name, fax, document, mimetype):
        fax_ref = fax.get("id")
        if not fax_ref:
            raise FaxPayloadError(f"{event_name} without fax.id.")
        status = fax.get("status") or ""
        labels = fax.get("labels") if isinstance(fax.get("labels"), dict) else {}
        event = FaxEvent(
            "ignored",
            event_ref=f"{event_name}:{fax_ref}:{status}",
            fax_ref=fax_ref,
            reference=labels.get(REFERENCE_LABEL) or "",
        )
        if event_name == "INCOMING_FAX":
            event.kind = "received"
            # A caller who withheld their number sends "anonymous", "" or no from.
            event.from_number, event.to_number = fax.get("from") or "", fax.get("to")
            event.document, event.mimetype = document, mimetype
            if not (event.to_number and document):
                raise FaxPayloadError("INCOMING_FAX needs fax.to and file.")
        elif event_name == "FAX_COMPLETED" and status in STATUSES:
            event.kind = "status"
            event.state = STATUSES[status]
            event.error = (
                fax.get("errorMessage")
                or fax.get("errorType")
                or str(fax.get("errorCode") or "")
            )
        return event
