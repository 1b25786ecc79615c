"""Mail written by a machine, which an auto-reply must never answer (RFC 3834 and
common practice)."""

from email.utils import getaddresses

HEADER_CHECKS = {
    "Auto-Submitted": lambda value: value.strip().lower() != "no",
    "X-Autoreply": bool,
    "X-Autorespond": bool,
    "X-Auto-Response-Suppress": lambda value: value.strip().lower() != "none",
    "Precedence": lambda value: value.strip().lower() in ("bulk", "junk", "list"),
    "List-Id": bool,
    "List-Unsubscribe": bool,
}
MACHINE_SENDERS = (
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
)
REPORT_TYPES = (
    "multipart/report",
    "message/delivery-status",
    "message/feedback-report",
)


def is_machine_mail(message):
    """Whether `message` (an email.message.Message) came from a machine."""
    for header, check in HEADER_CHECKS.items():
        value = message.get(header)
        if value is not None and check(str(value)):
            return True
    if _null_return_path(message) or message.get_content_type() in REPORT_TYPES:
        return True
    return _machine_sender(message)


def _null_return_path(message):
    # RFC 3834 §2: no reply when the return path is missing or null ("<>").
    return_path = message.get("Return-Path")
    return return_path is None or str(return_path).strip() in ("", "<>")


def _machine_sender(message):
    for _name, address in getaddresses([str(message.get("From") or "")]):
        local_part = address.rpartition("@")[0].lower() if "@" in address else ""
        if local_part.startswith(MACHINE_SENDERS) or local_part.endswith(
            ("-noreply", "-no-reply", ".noreply")
        ):
            return True
    return False
