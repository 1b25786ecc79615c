"""Repairs of the MIME faults that mail clients tolerate but Python's parser does not,
so that no body or attachment of a malformed message is lost."""

import email
import email.policy
import re

BOUNDARY_LINE = re.compile(r"^--([^\s]{1,70}?)(--)?[ \t]*$", re.MULTILINE)
# Defects after which the parsed message may miss a part of what was sent.
LOSSY_DEFECTS = (
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
    "MissingHeaderBodySeparatorDefect",
    "InvalidMultipartContentTransferEncodingDefect",
    "NoBoundaryInMultipartDefect",
    "MisplacedEnvelopeHeaderDefect",
    "InvalidBase64PaddingDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64LengthDefect",
)
# What a content type without subtype ("application; name=…") is read as: the
# bytes as they came, the name kept.
FULL_TYPES = {
    "text": "text/plain",
    "pdf": "application/pdf",
    None: "application/octet-stream",
}
# Outlook's own formats: readable in Outlook only, kept as files with their name.
OUTLOOK_TYPES = (
    "application/ms-tnef",
    "application/vnd.ms-tnef",
    "application/vnd.ms-outlook",
)


def is_malformed(message):
    """Whether parsing `message` may have lost something the sender wrote."""
    for part in message.walk():
        if any(type(defect).__name__ in LOSSY_DEFECTS for defect in part.defects):
            return True
        if _missing_subtype(part) or part.get_content_type() in OUTLOOK_TYPES:
            return True
    return False


def needs_repair(message):
    """Whether Odoo's parser would drop or mangle a part of `message`."""
    return any(
        _missing_subtype(part)
        or any(type(d).__name__ == "StartBoundaryNotFoundDefect" for d in part.defects)
        for part in message.walk()
    )


def repair(message):
    """A repaired copy of `message`: boundaries that match the body, content types
    with a subtype. `message` itself stays as it came. (The copy is regenerated:
    line ends of a binary part sent without transfer encoding are normalised.)"""
    copy = _reparse(message)
    for part in copy.walk():
        if _missing_subtype(part):
            maintype, _sep, params = part["Content-Type"].partition(";")
            full_type = FULL_TYPES.get(maintype.strip().lower(), FULL_TYPES[None])
            part.replace_header("Content-Type", f"{full_type};{params}".rstrip(";"))
        _repair_boundary(part)
    return _reparse(copy)


def _reparse(message):
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.SMTP)


def _missing_subtype(part):
    content_type = (part.get("Content-Type") or "").split(";", 1)[0].strip()
    return bool(content_type) and "/" not in content_type


def _repair_boundary(part):
    """A multipart whose declared boundary never occurs in its body: use the
    boundary the body actually has, as mail clients do."""
    body = part.get_payload()
    if part.get_content_maintype() != "multipart" or not isinstance(body, str):
        return
    opened, closed = set(), set()
    for match in BOUNDARY_LINE.finditer(body):
        (closed if match.group(2) else opened).add(match.group(1))
    candidates = [line for line in opened if line in closed] or sorted(opened)
    if candidates:
        part.set_boundary(candidates[0])
