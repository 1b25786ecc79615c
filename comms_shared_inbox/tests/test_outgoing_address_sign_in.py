import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common_outgoing_address import OutgoingAddressCase, real_smtp
from .fake_smtp import FakeSmtp

ADDRESS = "support@brand-a.example.com"


class FakeMicrosoftIdentity:
    """Microsoft identity platform's token endpoint on loopback: answers the
    authorization-code grant as documented ("Request an access token with a
    client_secret") and records the requests it received."""

    def __init__(self, access_token, refresh_token):
        self.requests = []
        identity = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                identity.requests.append((self.path, form))
                body = json.dumps(
                    {
                        "token_type": "Bearer",
                        "scope": "https://outlook.office.com/SMTP.Send",
                        "expires_in": 3599,
                        "ext_expires_in": 3599,
                        "access_token": access_token,
                        "refresh_token": refresh_token,
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server.server_port}/common/oauth2/v2.0/"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestOutgoingAddressSignIn(OutgoingAddressCase, HttpCase):
    """Gmail and Microsoft 365 addresses sign in with Odoo's own OAuth modules
    (google_gmail, microsoft_outlook): no password is stored, and the address is
    usable only once a real SMTP server accepted its token."""

    def wizard(self, user, preset, **values):
        wizard = self.env["comms.outgoing.address.wizard"].with_user(user)
        return wizard.create(
            {"email": ADDRESS, "preset": preset, "sign_in": True, **values}
        )

    def saved(self):
        return (
            self.env["ir.mail_server"]
            .with_context(active_test=False)
            .search([("comms_email", "=", ADDRESS)])
        )

    def set_credentials(self, service):
        parameters = self.env["ir.config_parameter"].sudo()
        parameters.set_param(f"{service}_client_id", "comms-test-client")
        parameters.set_param(f"{service}_client_secret", "comms-test-secret")

    def test_sign_in_needs_the_services_credentials_first(self):
        for preset, where in (
            ("gmail", "Use a Gmail Server"),
            ("outlook", "Use an Outlook Server"),
        ):
            wizard = self.wizard(self.sysadmin, preset, smtp_host="127.0.0.1")
            with self.assertRaises(UserError) as caught:
                wizard.action_test_and_save()
            self.assertIn(where, str(caught.exception))
            self.assertFalse(self.saved(), "nothing saved")

    def test_only_administrators_sign_in(self):
        self.set_credentials("google_gmail")
        wizard = self.wizard(self.seller, "gmail", personal=True, smtp_host="x")
        with self.assertRaises(AccessError) as caught:
            wizard.action_test_and_save()
        self.assertIn("app password", str(caught.exception))
        self.assertFalse(self.saved())

    def test_gmail_hands_over_to_googles_consent_page(self):
        self.set_credentials("google_gmail")
        form = Form(self.env["comms.outgoing.address.wizard"].with_user(self.sysadmin))
        form.email = ADDRESS
        form.preset = "gmail"
        self.assertFalse(form.sign_in, "Gmail still takes app passwords")
        form.sign_in = True
        action = form.save().action_test_and_save()
        address = self.saved()
        self.assertEqual(
            (address.smtp_authentication, address.smtp_host, address.smtp_port),
            ("gmail", "smtp.gmail.com", 587),
        )
        self.assertFalse(address.smtp_pass, "no password is kept")
        self.assertEqual(address.comms_test_state, "untested", "unusable until tested")
        url = urllib.parse.urlsplit(action["url"])
        self.assertEqual(url.netloc, "accounts.google.com")
        query = urllib.parse.parse_qs(url.query)
        self.assertEqual(query["client_id"], ["comms-test-client"])
        self.assertEqual(query["scope"], ["https://mail.google.com/"])
        state = json.loads(query["state"][0])
        self.assertEqual((state["model"], state["id"]), ("ir.mail_server", address.id))
        self.assertEqual(state["csrf_token"], address._get_gmail_csrf_token())

    def test_untested_without_a_token(self):
        address = self.address(
            ADDRESS,
            smtp_authentication="gmail",
            smtp_host="smtp.gmail.com",
            smtp_port=587,
            smtp_encryption="starttls",
            smtp_pass=False,
        )
        passed, message = address._comms_run_test()
        self.assertFalse(passed)
        self.assertIn("Not signed in yet", message)
        self.assertEqual(address.comms_test_state, "failed")

    def test_signed_in_gmail_address_sends_with_its_token(self):
        with FakeSmtp(tls="starttls", oauth_tokens={ADDRESS: "ya29.token"}) as smtp:
            address = self.address(
                ADDRESS,
                port=smtp.port,
                smtp_authentication="gmail",
                smtp_encryption="starttls",
                smtp_pass=False,
                comms_test_state="untested",
                google_gmail_refresh_token="1//refresh",
                google_gmail_access_token="ya29.token",
                google_gmail_access_token_expiration=int(time.time()) + 3600,
            )
            with real_smtp():
                passed, message = address._comms_run_test()
                self.assertTrue(passed, message)
                self.project_a.comms_outgoing_address_id = address
                message = self.post(self.task_a, self.seller, force_send=False)
                mail = self.mail_of(message)
                mail.auto_delete = False
                mail.send()
        self.assertEqual(mail.state, "sent")
        self.assertIn(("XOAUTH2", ADDRESS), smtp.logins)
        self.assertEqual(smtp.received[0].mail_from, ADDRESS)

    def test_outlook_sign_in_comes_back_tested(self):
        """The whole round trip: wizard, Microsoft's consent page (skipped: the
        browser comes back with a code), Odoo's callback fetching the tokens, then the
        SMTP test with the new token, and the address form."""
        self.set_credentials("microsoft_outlook")
        with (
            FakeMicrosoftIdentity("eyJ0.access", "0.AR.refresh") as identity,
            FakeSmtp(tls="starttls", oauth_tokens={ADDRESS: "eyJ0.access"}) as smtp,
        ):
            self.env["ir.config_parameter"].sudo().set_param(
                "microsoft_outlook.endpoint", identity.endpoint
            )
            wizard = self.wizard(
                self.sysadmin, "outlook", smtp_host="127.0.0.1", smtp_port=smtp.port
            )
            action = wizard.action_test_and_save()
            address = self.saved()
            self.assertEqual(address.comms_test_state, "untested")
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(action["url"]).query)
            self.assertTrue(action["url"].startswith(identity.endpoint + "authorize?"))

            self.authenticate("sysadmin", "sysadmin")
            with real_smtp():
                response = self.url_open(
                    "/microsoft_outlook/confirm?"
                    + urllib.parse.urlencode(
                        {"code": "M.C5.code", "state": query["state"][0]}
                    ),
                    allow_redirects=False,
                )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/odoo/action-comms_shared_inbox.ir_mail_server_action_comms/{address.id}"
            )
        )
        path, form = identity.requests[0]
        self.assertEqual(path, "/common/oauth2/v2.0/token")
        self.assertEqual(form["grant_type"], ["authorization_code"])
        self.assertEqual(form["code"], ["M.C5.code"])
        # Odoo's test, then its size detection: both signed in with the new token
        self.assertEqual(smtp.logins, [("XOAUTH2", ADDRESS)] * 2)
        self.assertEqual(address.comms_test_state, "ok")
        self.assertEqual(address.sudo().microsoft_outlook_refresh_token, "0.AR.refresh")
