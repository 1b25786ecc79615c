import ipaddress
import secrets
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import FAX_APIS, FaxApiError, get_fax_api


class CommsFaxProvider(models.Model):
    """An account with a fax provider, used by one or more fax lines.

    The providers are the FaxApi classes of tools/ (see FAX_APIS): the selection,
    the default base URL and the webhook URL come from them. Each provider adds
    its credential fields here and one group in the form.
    """

    _name = "comms.fax.provider"
    _description = "Fax provider account"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider_type = fields.Selection(
        selection="_selection_provider_type",
        string="Provider",
        required=True,
        default=lambda self: next(iter(FAX_APIS)),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    base_url = fields.Char(
        string="API base URL",
        compute="_compute_base_url",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The provider's API; change it only to use a test server.",
    )
    local_server = fields.Boolean(
        string="Test server on this machine",
        compute="_compute_local_server",
        help="The API base URL points at this machine (a test server), not at the "
        "provider.",
    )
    timeout = fields.Integer(
        string="Timeout (seconds)",
        default=30,
        help="How long to wait for the provider before calling a request failed.",
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        groups="base.group_system",
        help="Give this URL to the provider for incoming faxes and status updates.",
    )
    line_ids = fields.One2many("comms.fax.line", "provider_id", string="Fax lines")

    # Telnyx
    replay_window = fields.Integer(
        string="Replay window (seconds)",
        default=300,
        help="Signed webhooks older (or newer) than this are ignored as replays.",
    )
    api_key = fields.Char(string="API key", groups="base.group_system", copy=False)
    public_key = fields.Char(
        string="Public key",
        groups="base.group_system",
        copy=False,
        help="The account's Ed25519 public key (base64), from Telnyx's portal, "
        "to check that webhooks come from Telnyx.",
    )
    connection_id = fields.Char(
        string="Connection ID", help="The Telnyx fax application that sends faxes."
    )
    # Sinch
    project_id = fields.Char(string="Project ID", groups="base.group_system")
    key_id = fields.Char(string="Access key ID", groups="base.group_system", copy=False)
    key_secret = fields.Char(
        string="Access key secret", groups="base.group_system", copy=False
    )
    webhook_token = fields.Char(
        string="Callback token",
        groups="base.group_system",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret part of the Sinch callback URL: Sinch does not sign its "
        "callbacks, so only who knows this URL can deliver faxes.",
    )

    @api.model
    def _selection_provider_type(self):
        return [(key, api_class.provider_name) for key, api_class in FAX_APIS.items()]

    @api.depends("provider_type")
    def _compute_base_url(self):
        for provider in self:
            api_class = FAX_APIS.get(provider.provider_type)
            provider.base_url = api_class and api_class.default_base_url

    @api.depends("base_url")
    def _compute_local_server(self):
        for provider in self:
            host = urlsplit(provider.base_url or "").hostname or ""
            try:
                provider.local_server = ipaddress.ip_address(host).is_loopback
            except ValueError:
                provider.local_server = host == "localhost"

    @api.depends("provider_type", "webhook_token")
    def _compute_webhook_url(self):
        for provider in self:
            provider.webhook_url = provider._webhook_url() if provider.id else False

    def _webhook_url(self):
        self.ensure_one()
        return self.get_base_url() + self._get_api().webhook_path()

    def _get_api(self):
        self.ensure_one()
        return get_fax_api(self)

    def action_test_connection(self):
        self.ensure_one()
        try:
            self._get_api().test_connection()
        except FaxApiError as error:
            raise UserError(str(error)) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Connection works"),
                "message": self.env._(
                    "%(provider)s accepted the credentials.", provider=self.name
                ),
            },
        }

    def action_regenerate_webhook_token(self):
        for provider in self:
            provider.webhook_token = secrets.token_urlsafe(24)

    def _register_event(self, event_ref):
        """Record a webhook event; False when it was already processed (a replay)."""
        self.ensure_one()
        self.env.cr.execute(
            """INSERT INTO comms_fax_event (provider_id, event_ref, received_date)
               VALUES (%s, %s, now() AT TIME ZONE 'UTC')
               ON CONFLICT (provider_id, event_ref) DO NOTHING
               RETURNING id""",
            [self.id, event_ref],
        )
        return bool(self.env.cr.fetchone())

    def _process_event(self, event):
        """Act on a verified webhook; return (HTTP status, text) for the provider."""
        self.ensure_one()
        if event.kind == "ignored":
            return 200, "Event ignored."
        if event.kind == "received":
            return self._process_received(event)
        fax = self.env["comms.fax"]._find_outgoing(self, event)
        if not fax:
            return 404, f"No fax sent through this account has the id {event.fax_ref}."
        if self._register_event(event.event_ref):
            fax._apply_status(event.state, event.error)
        return 200, f"{fax.name}: {fax.state}"

    def _process_received(self, event):
        line = self.env["comms.fax.line"]._find_by_number(event.to_number, self)
        if not line:
            return 404, f"No fax line of this account has the number {event.to_number}."
        if not self._register_event(event.event_ref):
            return 200, "Already received."
        document = event.document or self._get_api().download(event.media_url)
        fax = line._receive_fax(
            event.from_number, document, event.fax_ref, mimetype=event.mimetype
        )
        return 200, fax.name
