"""Plain-language hints for SMTP refusals, keyed by the server's reply codes.

The server's own text is always shown first; the hint only says what usually causes it.
"""

import re
import smtplib
import socket
import ssl

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# (basic code, enhanced status code or None) -> hint; the enhanced code wins when known.
SMTP_HINTS = {
    ("535", "5.7.8"): _lt(
        "The server did not accept the user name or password. Check them; when 2-step "
        "verification is on, create an app password and use it here."
    ),
    ("535", "5.7.139"): _lt(
        "Basic authentication (user name and password) is switched off for this "
        "mailbox. Use Microsoft's OAuth (Odoo's Outlook module) or ask your Microsoft "
        "365 administrator to allow SMTP AUTH for it."
    ),
    ("535", None): _lt("The server did not accept the user name or password."),
    ("534", None): _lt(
        "The server wants a stronger sign-in: create an app password (or use the "
        "service's OAuth) and use it here."
    ),
    ("530", None): _lt(
        "The server requires authentication first: enter a user name and password, "
        "and check that the encryption is the one the server expects."
    ),
    ("550", None): _lt(
        "The server refused the sender or a recipient: this account may not send as "
        "this address (use the mailbox's own address or authorise the alias on the "
        "server), or the recipient does not exist."
    ),
    ("553", None): _lt(
        "The server refused the sender address: this account may not send as it."
    ),
    ("554", None): _lt(
        "The server refused the message (policy or spam filter); its text above says "
        "why."
    ),
    ("552", None): _lt(
        "The message is larger than the server accepts: send big files as links."
    ),
    ("421", None): _lt("The server is busy or closing: the message will be retried."),
    ("450", None): _lt("Temporary refusal: the message will be retried."),
    ("451", None): _lt("Temporary server error: the message will be retried."),
    ("452", None): _lt(
        "The server is short of resources: the message will be retried."
    ),
}

HINT_SENDER_REFUSED = _lt(
    "The server refused this sender address: the account may not send as it. Use the "
    "mailbox's own address or authorise the alias on the server."
)
HINT_RECIPIENT_REFUSED = _lt(
    "The server refused to relay to a recipient: it probably requires authentication "
    "or this account may not send to other domains."
)
HINT_CONNECTION = _lt(
    "No answer from this host and port: check the server name, the port and that a "
    "firewall does not block it."
)
HINT_UNKNOWN_HOST = _lt(
    "This server name is not known to the DNS: check its spelling (for example "
    "smtp.gmail.com, not gmail.com)."
)
HINT_TIMEOUT = _lt(
    "The server did not answer in time: check the server name and the port, and the "
    "encryption: a port that expects SSL/TLS from the first byte (usually 465) stays "
    "silent when spoken to in plain text or STARTTLS."
)
HINT_IMPLICIT_TLS = _lt(
    "Port 465 expects SSL/TLS from the first byte (RFC 8314): choose SSL/TLS, or "
    "STARTTLS on port 587."
)
HINT_ENCRYPTION = _lt(
    "The encryption does not match the port: use SSL/TLS on port 465 and STARTTLS on "
    "port 587 (or 25)."
)

# "(535, b'5.7.8 Username and Password not accepted')" as smtplib and Odoo render it
_CODE_IN_TEXT = re.compile(r"\b([245]\d\d)[,\s]+b?['\"]?\s*([245]\.\d{1,3}\.\d{1,3})?")


def smtp_reply_text(exception):
    """The server's own reply ("535 5.7.8 Username and Password not accepted") found in
    `exception` or its causes, else the exception's text."""
    cause = exception
    while cause is not None:
        if isinstance(cause, smtplib.SMTPResponseException):
            error = cause.smtp_error
            if isinstance(error, bytes):
                error = error.decode("utf-8", "replace")
            return f"{cause.smtp_code} {error}"
        cause = cause.__cause__
    return str(exception)


def hint_for_code(text):
    """The hint for the first SMTP code found in `text`, or None."""
    match = _CODE_IN_TEXT.search(text or "")
    if not match:
        return None
    code, enhanced = match.group(1), match.group(2)
    return SMTP_HINTS.get((code, enhanced)) or SMTP_HINTS.get((code, None))


def hint_for_exception(exception, sender=None, recipient=None):
    """A hint for a failed connection test: from the SMTP code, else from the kind of
    failure (Odoo's test names the refused sender or recipient in its message)."""
    cause = exception
    while cause is not None:
        if isinstance(cause, ssl.SSLError | smtplib.SMTPServerDisconnected):
            return HINT_ENCRYPTION
        if isinstance(cause, TimeoutError):
            return HINT_TIMEOUT
        if isinstance(cause, socket.gaierror):
            return HINT_UNKNOWN_HOST
        if isinstance(cause, ConnectionError):
            return HINT_CONNECTION
        if isinstance(cause, smtplib.SMTPResponseException):
            return hint_for_code(smtp_reply_text(cause))
        cause = cause.__cause__
    text = str(exception)
    if recipient and recipient in text:
        return HINT_RECIPIENT_REFUSED
    if sender and sender in text:
        return HINT_SENDER_REFUSED
    return hint_for_code(text)
