"""What every inbound webhook of the suite does with a delivery it cannot process:
undo, keep the payload with its error, and answer with a status the provider
understands (a retry for a server error, none for a refused message)."""

import logging

from odoo.exceptions import UserError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


def process_or_keep(source, payload, reference, process):
    """Return `process()`'s response; when it fails, nothing it did is kept but the
    payload is, with its error (once per provider reference). `payload` may be a
    callable, called only then (a fax's documents are costly to serialise)."""
    try:
        return process()
    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
        raise  # Odoo retries the whole request
    except Exception as error:
        request.env.cr.rollback()
        # sudo: the provider calls as the public user; only administrators read it
        request.env["comms.inbound.error"].sudo()._store(
            source, payload() if callable(payload) else payload, str(error), reference
        )
        if isinstance(error, UserError):  # ValidationError included
            return text_reply(422, str(error))
        _logger.exception("%s delivery %s failed", source, reference)
        return text_reply(500, "The delivery could not be processed; it was kept.")


def text_reply(status, text):
    return request.make_response(
        text, [("Content-Type", "text/plain; charset=utf-8")], status=status
    )
