from datetime import timedelta

from odoo import api, fields, models


class CommsFaxEvent(models.Model):
    """The webhook events already processed, so that a replayed event does nothing.

    Rows are inserted with ON CONFLICT DO NOTHING by the provider (see
    comms.fax.provider._register_event), which is safe under concurrent deliveries.
    """

    _name = "comms.fax.event"
    _description = "Processed fax webhook event"
    _order = "id desc"
    _rec_name = "event_ref"
    _log_access = False

    provider_id = fields.Many2one(
        "comms.fax.provider", required=True, ondelete="cascade", readonly=True
    )
    event_ref = fields.Char(string="Event", required=True, readonly=True)
    received_date = fields.Datetime(string="Received on", readonly=True, index=True)

    _sql_constraints = [
        (
            "event_unique",
            "UNIQUE(provider_id, event_ref)",
            "This webhook event was already processed.",
        ),
    ]

    @api.model
    def _cron_purge(self, days=30):
        """Events only need keeping well beyond the providers' retry period."""
        limit = fields.Datetime.now() - timedelta(days=days)
        self.search([("received_date", "<", limit)]).unlink()
