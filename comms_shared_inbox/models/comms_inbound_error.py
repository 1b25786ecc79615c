import json
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CommsInboundError(models.Model):
    """An inbound payload that could not be processed, kept with its error so that
    nothing a provider delivered is lost."""

    _name = "comms.inbound.error"
    _description = "Unprocessed inbound payload"
    _order = "id desc"
    _rec_name = "source"

    source = fields.Char(required=True, readonly=True, help="e.g. twilio_sms")
    reference = fields.Char(readonly=True, help="The provider's id, when known.")
    payload = fields.Text(readonly=True)
    error = fields.Text(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @api.model
    def _store(self, source, payload, error, reference=None):
        """Store in a transaction of its own: the caller's is about to roll back."""
        with self.pool.cursor() as cr:
            self.with_env(self.env(cr=cr)).sudo().create(
                {
                    "source": source,
                    "reference": reference,
                    "payload": json.dumps(payload, indent=2, default=str),
                    "error": error,
                }
            )
        _logger.warning("Unprocessed %s payload %s: %s", source, reference, error)
