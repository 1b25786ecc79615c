"""One small interface per fax provider: send, test the account, read webhooks.

Every HTTP call goes through FaxApi._request, with the account's timeout, and turns
any failure into FaxApiError carrying the provider's own error text, or one sentence
for a transport failure (whose technical detail goes to the server log only).

Providers register themselves: each subclass of FaxApi that names a `provider_type`
lands in FAX_APIS, from which comms.fax.provider builds its selection, its default
base URL and the class it talks through. This module names no provider.
"""

import logging
import socket
from dataclasses import dataclass

import requests
from urllib3.exceptions import NewConnectionError

_logger = logging.getLogger(__name__)


class FaxApiError(Exception):
    """The provider refused or could not be reached; str() is for the user."""


class FaxUnreachableError(FaxApiError):
    """The request never reached the provider (unknown host, refused connection,
    failed TLS handshake, no connection in time): repeating it cannot send twice."""


class FaxNoAnswerError(FaxApiError):
    """The request left but no answer came back: the provider may have acted on it."""


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


INVALID_ADDRESS_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)

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
        try:
            response = requests.request(method, url, timeout=timeout, **kwargs)
        except requests.RequestException as error:
            _logger.warning(
                "%s: %s %s failed: %r", self.provider.display_name, method, url, error
            )
            raise self._transport_error(error, timeout) from error
        if not response.ok:
            raise FaxApiError(
                self.env._(
                    "%(provider)s refused (HTTP %(status)s): %(error)s",
                    provider=self.provider.display_name,
                    status=response.status_code,
                    error=self._error_text(response),
                )
            )
        return response

    def _transport_error(self, error, timeout):
        """The sentence a user can act on for a request that failed on the way."""
        name = self.provider.display_name
        reason = self._unreached_reason(error, timeout)
        if reason:
            return FaxUnreachableError(
                self.env._(
                    "%(provider)s could not be reached (%(reason)s).",
                    provider=name,
                    reason=reason,
                )
            )
        if isinstance(error, requests.Timeout):
            return FaxNoAnswerError(
                self.env._(
                    "%(provider)s did not answer within %(seconds)s seconds.",
                    provider=name,
                    seconds=timeout,
                )
            )
        return FaxNoAnswerError(
            self.env._(
                "%(provider)s broke off the connection before answering.",
                provider=name,
            )
        )

    def _unreached_reason(self, error, timeout):
        """Why the connection to the provider could not be opened, or None when it
        was opened (the provider may then have received the request)."""
        if isinstance(error, requests.ConnectTimeout):
            return self.env._(
                "no connection within %(seconds)s seconds", seconds=timeout
            )
        if isinstance(error, requests.exceptions.SSLError):
            return self.env._("secure connection failed")
        if isinstance(error, INVALID_ADDRESS_ERRORS):
            return self.env._("invalid address")
        causes = list(_causes(error))
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return self.env._("address not found")
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return self.env._("connection refused")
        if any(isinstance(cause, NewConnectionError) for cause in causes):
            return self.env._("no network route")
        return None

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


def _causes(error):
    """`error` and the errors it wraps (requests -> urllib3 -> socket)."""
    seen = set()
    while isinstance(error, BaseException) and id(error) not in seen:
        seen.add(id(error))
        yield error
        reason = getattr(error, "reason", None)
        wrapped = error.args[0] if error.args else None
        error = next(
            (
                candidate
                for candidate in (reason, error.__cause__, error.__context__, wrapped)
                if isinstance(candidate, BaseException)
            ),
            None,
        )


def get_fax_api(provider):
    return FAX_APIS[provider.provider_type](provider)
