from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.comms_fax.tools import FAX_APIS, FaxApi

from .common import FaxCase


@tagged("post_install", "-at_install")
class TestFaxProvider(FaxCase):
    def test_default_base_url_is_the_real_api(self):
        telnyx = self.env["comms.fax.provider"].create({"name": "T"})
        self.assertEqual(telnyx.base_url, "https://api.telnyx.com")
        sinch = self.env["comms.fax.provider"].create(
            {"name": "S", "provider_type": "sinch"}
        )
        self.assertEqual(sinch.base_url, "https://fax.api.sinch.com")
        self.assertTrue(len(sinch.webhook_token) > 20, "a secret token by default")
        self.assertNotEqual(sinch.webhook_token, self.sinch.webhook_token)

    def test_form_tells_a_test_server_on_this_machine(self):
        provider = self.env["comms.fax.provider"].create({"name": "T"})
        self.assertFalse(provider.local_server, "api.telnyx.com")
        for url in (
            "http://127.0.0.1:8970",
            "http://localhost:8971",
            "http://[::1]:80",
        ):
            provider.base_url = url
            self.assertTrue(provider.local_server, url)
        provider.base_url = "https://fax.example.com"
        self.assertFalse(provider.local_server)
        arch = provider.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("test server on this machine", arch)

    def test_a_new_provider_is_one_api_class(self):
        class EchoFaxApi(FaxApi):
            provider_type = "echo"
            provider_name = "Echo Fax"
            default_base_url = "https://fax.echo.example.com"

        self.addCleanup(FAX_APIS.pop, "echo")
        field = self.env["comms.fax.provider"]._fields["provider_type"]
        self.assertIn(("echo", "Echo Fax"), field._description_selection(self.env))
        echo = self.env["comms.fax.provider"].create(
            {"name": "E", "provider_type": "echo"}
        )
        self.assertEqual(echo.base_url, "https://fax.echo.example.com")
        self.assertIsInstance(echo._get_api(), EchoFaxApi)
        self.assertEqual(
            echo.webhook_url, f"{echo.get_base_url()}/comms/fax/echo/{echo.id}"
        )

    def test_connection_works(self):
        for provider in (self.telnyx, self.sinch):
            action = provider.action_test_connection()
            self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            [r["path"] for r in self.server.requests],
            [
                "/v2/faxes?page%5Bsize%5D=1",
                "/v3/projects/c6d1b3f1-project/faxes?pageSize=1",
            ],
        )

    def test_connection_reports_the_provider_error(self):
        self.telnyx.api_key = "revoked"
        with self.assertRaisesRegex(UserError, "The API key provided is invalid"):
            self.telnyx.action_test_connection()
        self.sinch.key_secret = "wrong"
        with self.assertRaisesRegex(
            UserError, "Invalid key or secret for this project"
        ):
            self.sinch.action_test_connection()

    def test_connection_to_a_provider_down(self):
        self.server.mode = "500"
        with self.assertRaisesRegex(UserError, "HTTP 500"):
            self.telnyx.action_test_connection()

    def test_webhook_urls(self):
        base = self.telnyx.get_base_url()
        self.assertEqual(
            self.telnyx.webhook_url, f"{base}/comms/fax/telnyx/{self.telnyx.id}"
        )
        self.assertEqual(
            self.sinch.webhook_url,
            f"{base}/comms/fax/sinch/{self.sinch.id}/{self.sinch.webhook_token}",
        )
        old = self.sinch.webhook_url
        self.sinch.action_regenerate_webhook_token()
        self.assertNotEqual(self.sinch.webhook_url, old)

    def test_old_events_are_forgotten(self):
        self.assertTrue(self.telnyx._register_event("evt-a"))
        self.assertFalse(self.telnyx._register_event("evt-a"))
        self.assertTrue(self.sinch._register_event("evt-a"), "per account")
        events = self.env["comms.fax.event"].search([])
        self.env.cr.execute(
            "UPDATE comms_fax_event SET received_date = now() - interval '40 days' "
            "WHERE id IN %s",
            [tuple(events.ids)],
        )
        events.invalidate_recordset()
        self.env["comms.fax.event"]._cron_purge()
        self.assertFalse(events.exists())
