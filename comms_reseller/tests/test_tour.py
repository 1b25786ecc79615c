import re

from odoo.tests import HttpCase, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestNewAccountTour(ResellerCase, HttpCase):
    """In a browser: the reseller starts a new account with the wizard and sends
    it to the client, the client finishes it from the emailed link, the reseller
    moves it from its free trial to production with a quotation the client signs."""

    def emailed_link(self, request):
        email = request.message_ids.filtered(
            lambda m: "Finish setting up" in (m.subject or "")
        )
        self.assertEqual(len(email), 1)
        return re.search(r'href="[^"]*(/reseller/new-account/[^"]+)"', email.body)[1]

    def test_new_account_from_wizard_to_production(self):
        self.start_tour(
            "/odoo/action-comms_reseller.comms_account_request_action",
            "comms_reseller_new_account",
            login=self.user_a.login,
        )
        request = self.env["comms.account.request"].search(
            [("client_name", "=", "Tango Dental")]
        )
        self.assertRecordValues(
            request,
            [{"state": "sent", "step": "plan", "email": "tango@tango.example.com"}],
        )

        # The client, not logged in.
        self.start_tour(
            self.emailed_link(request), "comms_reseller_finish_account_request"
        )
        account = request.account_id
        self.assertRecordValues(
            account,
            [
                {
                    "name": "Tango Dental",
                    "billing_status": "trial",
                    "company_id": self.reseller_a.id,
                    "user_id": self.user_a.id,
                }
            ],
        )
        self.assertEqual(account.line_ids.product_id, self.plan)
        self.assertEqual(account.admin_user_id.login, "tango@tango.example.com")

        self.reseller_a.write(
            {"portal_confirmation_sign": True, "portal_confirmation_pay": False}
        )
        self.start_tour(
            f"/odoo/action-comms_reseller.comms_account_action_companies/{account.id}",
            "comms_reseller_account_production",
            login=self.user_a.login,
        )
        quotation = account.quotation_ids
        self.assertRecordValues(quotation, [{"state": "sent"}])
        self.assertEqual(account.billing_status, "trial")

        # The client signs it on the portal.
        client = account.admin_user_id
        client.password = client.login
        self.start_tour(
            quotation.get_portal_url(),
            "comms_reseller_accept_quotation",
            login=client.login,
        )
        self.assertEqual(quotation.state, "sale")
        self.assertTrue(quotation.signature)
        self.assertEqual(account.billing_status, "production")
        self.assertEqual(
            account.sudo().contract_id.contract_line_ids.product_id, self.plan
        )
