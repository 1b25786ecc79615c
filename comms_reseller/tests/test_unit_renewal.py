import re
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.comms_fax.tests.common import make_pdf
from odoo.addons.sms.tests.common import MockSMS

from .common import FaxLineCase
from .test_unit_group import UnitGroupCase
from .test_unit_group_portal import UnitGroupHttpCase

OPENING = "2027-01-31 09:00:00"
# A month from January 31st, as the contract counts it: the month ends on
# February 27th and the next one starts on February 28th, then March 28th.
FIRST_RENEWAL = date(2027, 2, 28)
SECOND_RENEWAL = date(2027, 3, 28)


class UnitRenewalCase(UnitGroupCase):
    def open_account(self, owner_units):
        """The owner opens an account for Jean Martin on January 31st, paid with
        its units (40 for the plan), and keeps owner_units - 40."""
        self.give(self.wallet, owner_units)
        with freeze_time(OPENING):
            account = self.group._create_member_account(
                "Jean Martin", "jean@newcomer.example.com", self.plan, "new-1"
            )
        membership = self.group.member_ids.filtered(lambda m: m.account_id == account)
        return account, membership

    def run_renewals(self, day):
        with freeze_time(f"{day} 06:00:00"):
            self.env.ref(
                "comms_reseller.ir_cron_unit_group_renew_with_units"
            ).method_direct_trigger()
        self.env.invalidate_all()

    def renewals(self):
        return self.wallet.move_ids.filtered(
            lambda m: (m.idempotency_key or "").startswith("unit-renewal-")
        )


@tagged("post_install", "-at_install")
class TestUnitRenewal(UnitRenewalCase):
    def test_renewed_once_a_month_on_the_contract_anniversary(self):
        account, membership = self.open_account(140)
        self.assertEqual(account.first_invoice_date, date(2027, 1, 31))
        with freeze_time(OPENING):
            self.run_invoicing_cron()
        contract_line = account.line_ids.sudo().contract_line_id
        # One "next renewal" date: the contract's, the account's and the units'.
        self.assertEqual(contract_line.recurring_next_date, FIRST_RENEWAL)
        self.assertEqual(account.units_renewal_date, FIRST_RENEWAL)
        self.assertRecordValues(
            membership,
            [
                {
                    "renewal_date": FIRST_RENEWAL,
                    "renewal_units": 40,
                    "renewal_state": "paid",
                }
            ],
        )
        self.run_renewals("2027-02-27")
        self.assertFalse(self.renewals())
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-01")
        self.assertEqual(self.wallet.balance, 60)
        self.assertRecordValues(
            self.renewals(),
            [
                {
                    "amount": -40,
                    "kind": "consumption",
                    "source_ref": account,
                    "account_id": self.owner.id,
                    "note": "Renewal of Jean Martin from 2027-02-28 to 2027-03-27",
                }
            ],
        )
        self.assertEqual(membership.renewal_date, SECOND_RENEWAL)
        with freeze_time("2027-02-28"):
            self.run_invoicing_cron()
        self.assertEqual(contract_line.recurring_next_date, SECOND_RENEWAL)
        self.run_renewals("2027-03-28")
        self.assertEqual(self.wallet.balance, 20)
        self.assertEqual(len(self.renewals()), 2)
        self.assertEqual(membership.renewal_date, date(2027, 4, 28))

    def test_short_owner_gets_a_grace_period_then_the_account_expires(self):
        account, membership = self.open_account(40)
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-01")
        self.assertFalse(self.renewals())
        self.assertEqual(self.wallet.balance, 0)
        self.assertEqual(membership.renewal_state, "grace")
        self.assertEqual(membership.account_status, "active")
        self.assertIsNone(account._units_expired_refusal())
        due = self.emails_to(self.owner, "could not be renewed")
        self.assertEqual(len(due), 1)
        self.assertIn("2027-03-07", due.body_html)
        self.assertFalse(self.emails_to(account, "could not be renewed"))

        self.run_renewals("2027-03-07")
        self.run_renewals("2027-03-08")
        self.assertEqual(self.wallet.balance, 0)
        self.assertEqual(membership.renewal_state, "expired")
        self.assertEqual(membership.account_status, "expired")
        # Not a billing status: the client is not billed in money for it.
        self.assertEqual(account.billing_status, "production")
        self.assertEqual(len(self.emails_to(self.owner, "expired")), 1)
        self.assertIn("was not renewed on 2027-02-28", account._units_expired_refusal())

        # The owner buys units: the next run renews the month due, which
        # keeps its anniversary.
        self.give(self.wallet, 45)
        self.run_renewals("2027-03-10")
        self.assertEqual(self.wallet.balance, 5)
        self.assertIn("from 2027-02-28 to 2027-03-27", self.renewals().note)
        self.assertRecordValues(
            membership,
            [
                {
                    "renewal_state": "paid",
                    "renewal_date": SECOND_RENEWAL,
                    "account_status": "active",
                }
            ],
        )
        self.assertIsNone(account._units_expired_refusal())

    def test_months_missed_while_expired_are_not_charged(self):
        account, membership = self.open_account(40)
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-07")
        self.assertEqual(membership.renewal_state, "expired")
        self.give(self.wallet, 100)
        self.run_renewals("2027-04-05")
        self.assertEqual(self.wallet.balance, 60)
        self.assertIn("from 2027-03-28 to 2027-04-27", self.renewals().note)
        self.assertEqual(membership.renewal_date, date(2027, 4, 28))

    def test_plan_no_longer_sold_for_units_is_left_to_the_account_manager(self):
        account, membership = self.open_account(200)
        self.plan.comms_units_price = 0
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-01")
        self.assertFalse(self.renewals())
        self.assertEqual(self.wallet.balance, 160)
        activity = account.activity_ids.filtered(
            lambda a: a.summary == "Renewal in units failed"
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("has no price in units any more", str(activity.note))
        self.plan.comms_units_price = 50
        self.run_renewals("2027-03-02")
        self.assertEqual(self.renewals().amount, -50)

    def test_owner_renews_from_the_group_page(self):
        account, membership = self.open_account(40)
        self.run_renewals("2027-02-28")
        with freeze_time("2027-03-02"):
            with self.assertRefused(UserError, "has 0 units: 40 are needed"):
                membership.with_user(self.user_a).action_renew_with_units()
            self.give(self.wallet, 40)
            membership.with_user(self.user_a).action_renew_with_units()
            with self.assertRefused(UserError, "Jean Martin has no renewal due"):
                membership.with_user(self.user_a).action_renew_with_units()
        self.assertEqual(self.wallet.balance, 0)
        self.assertEqual(len(self.renewals()), 1)
        self.assertEqual(membership.renewal_date, SECOND_RENEWAL)
        # The cron that day finds nothing left to renew.
        self.run_renewals("2027-03-02")
        self.assertEqual(len(self.renewals()), 1)

    def test_member_who_left_is_billed_in_money(self):
        account, membership = self.open_account(200)
        with freeze_time(OPENING):
            self.run_invoicing_cron()
        with freeze_time("2027-02-10"):
            self.group._leave(account)
        self.assertFalse(membership.renewal_date)
        self.assertFalse(account.units_renewal_date)
        self.assertEqual(account.line_ids.price_unit, 30)
        activity = account.activity_ids
        self.assertEqual(activity.summary, "Plan no longer paid with units")
        self.assertTrue(activity.user_id)
        self.assertEqual(activity.user_id, account.user_id)
        self.assertIn("from 2027-02-28", str(activity.note))
        self.run_renewals("2027-02-28")
        self.assertFalse(self.renewals())
        with freeze_time("2027-02-28"):
            self.run_invoicing_cron()
        # The month the units paid makes no invoice; the next one is in money.
        invoices = self.invoices_of(account)
        self.assertEqual(invoices.mapped("amount_untaxed"), [30.0])
        self.assertEqual(invoices.invoice_date, FIRST_RENEWAL)

    def test_member_removed_during_grace_pays_the_month_due_in_money(self):
        account, membership = self.open_account(40)
        with freeze_time(OPENING):
            self.run_invoicing_cron()
        self.run_renewals("2027-02-28")
        with freeze_time("2027-03-02"):
            self.run_invoicing_cron()
            membership._remove()
            self.run_invoicing_cron()
        invoices = self.invoices_of(account)
        self.assertEqual(invoices.mapped("amount_untaxed"), [30.0])
        paid_in_money = invoices.filtered("amount_untaxed")
        # The month the units did not pay, not the next one.
        self.assertEqual(
            paid_in_money.invoice_line_ids.name, "Plan 30\n02/28/2027 - 03/27/2027"
        )
        self.give(self.wallet, 100)
        self.run_renewals("2027-03-28")
        self.assertFalse(self.renewals())

    def test_others_see_nothing_of_the_renewal(self):
        account, membership = self.open_account(80)
        self.run_renewals("2027-02-28")
        renewal = self.renewals()
        owner_view = membership.with_user(self.owner_admin)
        self.assertEqual(owner_view.renewal_date, SECOND_RENEWAL)
        self.assertEqual(owner_view.renewal_units, 40)
        Move = self.env["comms.unit.move"]
        for user in (self.user_b, self.outsider_admin, account.admin_user_id):
            with self.subTest(user=user.login):
                self.assertFalse(Move.with_user(user).search([("id", "=", renewal.id)]))
                with self.assertRaises(AccessError):
                    renewal.with_user(user).read(["note"])
        for user in (self.user_b, self.outsider_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    membership.with_user(user).read(["renewal_date"])


@tagged("post_install", "-at_install")
class TestUnitRenewalPortal(UnitRenewalCase, UnitGroupHttpCase):
    """The owner's group page shows the renewals and renews an expired
    account; nobody else can."""

    def test_owner_sees_and_renews_an_expired_account(self):
        account, membership = self.open_account(40)
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-07")
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        page = self.url_open("/my/units-group")
        row = re.search(
            r"<tr[^>]*>(?:(?!</tr>).)*Jean Martin(?:(?!</tr>).)*</tr>",
            page.text,
            re.DOTALL,
        ).group(0)
        self.assertIn("02/28/2027", row)
        self.assertIn("Expired", row)
        self.assertRegex(row, r"o_comms_units_renewal_units[^>]*>\s*40\s*<")
        base = f"/my/units-group/{self.group.id}"
        refused = self.post(f"{base}/renew", {"membership_ids": membership.id})
        self.assertIn("has 0 units: 40 are needed", refused.text)
        self.assertEqual(membership.renewal_state, "expired")
        self.give(self.wallet, 40)
        done = self.post(f"{base}/renew", {"membership_ids": membership.id})
        self.assertIn("renewed with your units", done.text)
        self.env.invalidate_all()
        self.assertEqual(membership.renewal_state, "paid")
        self.assertEqual(self.wallet.balance, 0)
        self.assertIn("03/28/2027", self.url_open("/my/units-group").text)

    def test_others_cannot_renew(self):
        account, membership = self.open_account(40)
        self.run_renewals("2027-02-28")
        self.give(self.wallet, 40)
        base = f"/my/units-group/{self.group.id}"
        jean = account.admin_user_id
        jean.password = jean.login
        for user in (self.outsider_admin, self.member_admin, jean):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                page = self.url_open("/my/units-group")
                self.assertNotIn("Renew with my units", page.text)
                self.post(f"{base}/renew", {"membership_ids": membership.id})
                self.env.invalidate_all()
                self.assertEqual(membership.renewal_state, "grace")
                self.assertEqual(self.wallet.balance, 40)


@tagged("post_install", "-at_install")
class TestUnitRenewalSending(MockSMS, UnitRenewalCase, FaxLineCase):
    """An expired account's faxes and texts are refused before anything
    reaches the provider (the fake Telnyx over real HTTP, Odoo's SMS gateway
    mock)."""

    def _fax_line(self, account):
        line = self.create_fax_line(account, "+12025550161", "Jean's desk")
        return line.group_id, line

    def _queue(self, inbox, line):
        conversations = self.env["comms.conversation"]
        partner = conversations._find_or_create_partner_by_phone(
            inbox, "+12125550142", "fax"
        )
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "queued",
                "line_id": line.id,
                "conversation_id": conversations._get_for_customer(inbox, partner).id,
                "remote_number": "+1 212 555 0142",
            }
        )
        fax._attach_document(make_pdf(1, "Order"))
        return fax

    def test_expired_account_cannot_fax_until_renewed(self):
        account, membership = self.open_account(40)
        inbox, line = self._fax_line(account)
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-07")
        with self.assertRefused(UserError, "was not renewed on 2027-02-28"):
            self._queue(inbox, line)
        self.env["comms.fax"]._cron_send_queued()
        self.assertFalse(self._posted())
        self.give(self.wallet, 40)
        self.run_renewals("2027-03-08")
        fax = self._queue(inbox, line)
        self.assertEqual(fax.state, "queued")

    def test_expired_account_cannot_text_until_renewed(self):
        account, membership = self.open_account(40)
        self.create_number("+12025550171", account=account)
        inbox = self.env["comms.group"].create(
            {
                "name": "Jean's texts",
                "company_id": self.reseller_a.id,
                "comms_account_id": account.id,
                "sms_number": "+12025550171",
            }
        )
        conversations = self.env["comms.conversation"]
        customer = conversations._find_or_create_partner_by_phone(inbox, "+12125550177")
        conversation = conversations._get_for_customer(inbox, customer)
        self.run_renewals("2027-02-28")
        self.run_renewals("2027-03-07")
        with self.mockSMSGateway():
            conversation._message_sms("Your parcel", partner_ids=customer.ids)
        self.assertEqual(self._sms, [], "nothing reached the provider")
        sms = self.env["sms.sms"].search(
            [("mail_message_id.res_id", "=", conversation.id)], limit=1
        )
        self.assertRecordValues(
            sms, [{"state": "error", "failure_type": "comms_units_expired"}]
        )
        self.give(self.wallet, 40)
        self.run_renewals("2027-03-08")
        with self.mockSMSGateway():
            conversation._message_sms("Your parcel", partner_ids=customer.ids)
        self.assertEqual(len(self._sms), 1)
