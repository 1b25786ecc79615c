"""One small interface per fax provider: send, test the account, read webhooks.

Every HTTP call goes through FaxApi._request, with the account's timeout, and turns
any failure into FaxApiError carrying the provider's own error text.

Providers register themselves: each subclass of FaxApi that names a `provider_type`
lands in FAX_APIS, from which comms.fax.provider builds its selection, its default
base URL and the class it talks through. This module names no provider.
"""

import logging
from dataclasses import dataclass

import requests

_logger = logging.getLogger(__name__)


class FaxApiError(Exception):
    """The provider refused or could not be reached; str() is for the user."""


class FaxSignatureError(Exception):
    """A webhook that the provider did not sign (or sign correctly)."""


class FaxReplayError(Exception):
    """A correctly signed webhook delivered outside the replay window."""


class FaxPayloadError(Exception):
    """A webhook whose content cannot be read."""


@dataclass
class FaxEvent:
    """What a webhook says, whatever the provider.

    kind: "received" (a fax came in), "status" (news of a fax we sent) or
    "ignored" (an event we do not use).
    """

    kind: str
    event_ref: str = ""
    # Our own reference of an outgoing fax, when the provider echoes it back.
    reference: str = ""
    fax_ref: str = ""
    from_number: str = ""
    to_number: str = ""
    state: str = ""
    error: str = ""
    document: bytes = b""
    media_url: str = ""
    mimetype: str = "application/pdf"


# provider_type -> FaxApi subclass, filled as the provider modules are imported.
FAX_APIS = {}


class FaxApi:
    provider_type = None
    provider_name = None
    default_base_url = None

    def __init_subclass__(cls, **kwargs):
        if cls.provider_type:
            FAX_APIS[cls.provider_type] = cls
        return super().__init_subclass__(**kwargs)

    def __init__(self, provider):
        # Credentials are administrator-only fields; any user's fax is sent with them.
        self.provider = provider.sudo()
        self.env = provider.env

    @property
    def base_url(self):
        return (self.provider.base_url or self.default_base_url).rstrip("/")

    def _request(self, method, url, **kwargs):
        if not url.startswith(("http://", "https://")):
            url = self.base_url + url
        timeout = self.provider.timeout or 30
        name = self.provider.display_name
        try:
            response = requests.request(method, url, timeout=timeout, **kwargs)
        except requests.Timeout as error:
            raise FaxApiError(
                self.env._(
                    "%(provider)s did not answer within %(seconds)s seconds.",
                    provider=name,
                    seconds=timeout,
                )
            ) from error
        except requests.RequestException as error:
            raise FaxApiError(
                self.env._(
                    "%(provider)s could not be reached: %(error)s",
                    provider=name,
                    error=error,
                )
            ) from error
        if not response.ok:
            raise FaxApiError(
                self.env._(
                    "%(provider)s refused (HTTP %(status)s): %(error)s",
                    provider=name,
                    status=response.status_code,
                    error=self._error_text(response),
                )
            )
        return response

    def _error_text(self, response):
        """The provider's own explanation of a refusal."""
        return response.text[:300] or response.reason

    def _json(self, response):
        try:
            return response.json()
        except ValueError as error:
            raise FaxApiError(
                self.env._("The provider answered with something that is not JSON.")
            ) from error

    def download(self, url):
        return self._request("GET", url).content

    def webhook_path(self):
        """Where the provider posts its webhooks, on this database's URL."""
        return f"/comms/fax/{self.provider_type}/{self.provider.id}"

    # Provider specifics
    def send(self, from_number, to_number, document, filename, callback_url, reference):
        """Hand a PDF to the provider; return its id for the fax. `reference` is the
        fax's own stable reference, passed where the provider takes one."""
        raise NotImplementedError

    def test_connection(self):
        raise NotImplementedError

    def verify_webhook(self, headers, body, token):
        """Raise FaxSignatureError unless the provider sent this delivery. `token` is
        the optional last segment of the webhook URL."""
        raise NotImplementedError

    def parse_webhook(self, headers, body, form, files):
        """The FaxEvent a verified delivery carries; FaxPayloadError if unreadable."""
        raise NotImplementedError


def get_fax_api(provider):
    return FAX_APIS[provider.provider_type](provider)
