import re

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import html

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.sms.tests.common import MockSMS

from .test_unit_auto_top_up import MemberTextsCase
from .test_unit_purchase import UnitPurchaseCase


@tagged("post_install", "-at_install")
class TestUnitAutoBuy(MemberTextsCase, MockSMS, UnitPurchaseCase, HttpCase):
    """Twilio's auto-recharge for a units wallet: when a movement leaves the
    balance below a level, one pack is invoiced (charged to the card on file by
    the card cron, or emailed to the client); never a second one while it is
    unpaid, never more than the month's cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auto_buy_values = {
            "auto_buy": True,
            "auto_buy_product_id": cls.pack_50.id,
            "auto_buy_below": 20,
            "auto_buy_cap": 2,
        }
        for account in (cls.owner, cls.member):
            account.admin_user_id.password = account.admin_user_id.login
        # The owner's desk texts its customers, 10 units a segment.
        cls.setup_text_desk(cls.owner, "+12025550182", "+12125550189")

    def setUp(self):
        super().setUp()
        self.give(self.wallet, 30)

    def auto_invoices(self, account=None):
        return self.env["account.move"].search(
            [
                ("comms_account_id", "=", (account or self.owner).id),
                ("move_type", "=", "out_invoice"),
            ],
            order="id",
        )

    def consume(self, units, wallet=None):
        (wallet or self.wallet)._debit("consumption", units)

    def turn_on(self, wallet=None, **values):
        (wallet or self.wallet).with_user(self.user_a).write(
            dict(self.auto_buy_values, **values)
        )

    def cron_triggered(self, xmlid):
        return self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.env.ref(xmlid).id)]
        )

    # Buying

    def test_crossing_the_level_buys_one_pack_and_pays_it_once(self):
        self.turn_on()
        self.consume(10)
        self.assertFalse(self.auto_invoices(), "20 units left: not below 20")
        self.consume(5)
        invoice = self.auto_invoices()
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "payment_state": "not_paid",
                    "partner_id": self.owner.partner_id.id,
                    "comms_auto_buy": True,
                    "amount_untaxed": 10,
                }
            ],
        )
        self.assertEqual(invoice.invoice_line_ids.product_id, self.pack_50)
        self.assertEqual(self.wallet.balance, 15, "not credited before it is paid")
        self.assertIn("Automatic purchase", self.owner.message_ids[0].body)
        self.assertIn(invoice.name, self.wallet.message_ids[0].body)
        # A second consumption while it is unpaid buys nothing.
        self.consume(5)
        self.assertEqual(self.auto_invoices(), invoice)
        self.pay(invoice)
        self.assertEqual(self.wallet.balance, 60)
        purchases = self.wallet.move_ids.filtered(lambda m: m.kind == "purchase")
        self.assertEqual(purchases.mapped("amount"), [50])
        self.assertLedgerConsistent(self.wallet)

    def test_texts_sent_buy_once_and_are_never_held_back(self):
        self.turn_on()
        self.text()
        self.assertFalse(self.auto_invoices(), "20 units left")
        self.text()
        self.assertEqual(len(self._sms), 1, "the text left")
        invoice = self.auto_invoices()
        self.assertEqual(len(invoice), 1)
        self.text()
        self.assertEqual(len(self._sms), 1, "the third text left too")
        self.assertEqual(self.wallet.balance, 0)
        self.assertEqual(self.auto_invoices(), invoice)
        # The pack no longer sold: the text still leaves, nothing is bought.
        self.pay(invoice)
        self.pack_50.sale_ok = False
        for _i in range(4):
            self.text()
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self.wallet.balance, 10)
        self.assertEqual(self.auto_invoices(), invoice)
        self.assertIn("not a units pack sold by", self.wallet.auto_buy_issue)

    def test_a_transfer_out_buys_for_the_sender(self):
        self.turn_on()
        self.wallet.with_user(self.user_a).transfer_units(self.member_wallet.id, 12)
        invoice = self.auto_invoices()
        self.assertEqual(len(invoice), 1, "18 units left after the transfer")
        self.assertFalse(self.auto_invoices(self.member))

    def test_a_member_top_up_paid_by_the_owner_buys_for_the_owner(self):
        group = self.env["comms.unit.group"]._for_owner(self.owner)
        membership = group._invite(self.member.admin_user_id.email)
        membership._accept()
        membership.write({"keep_at_units": 10, "monthly_top_up_cap": 100})
        self.turn_on()
        self.give(self.member_wallet, 10)
        self.consume(8, wallet=self.member_wallet)
        self.assertEqual(self.member_wallet.balance, 10, "kept at 10")
        self.assertEqual(self.wallet.balance, 22)
        self.assertFalse(self.auto_invoices())
        self.consume(5, wallet=self.member_wallet)
        self.assertEqual(self.wallet.balance, 17)
        self.assertEqual(len(self.auto_invoices()), 1, "the owner's wallet buys")
        self.assertFalse(self.auto_invoices(self.member))

    def test_the_invoice_is_emailed_to_the_client_by_odoos_sending(self):
        self.turn_on()
        self.consume(15)
        invoice = self.auto_invoices()
        self.assertTrue(invoice.sending_data, "queued for Odoo's invoice sending")
        self.assertTrue(self.cron_triggered("account.ir_cron_account_move_send"))
        self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()
        self.assertTrue(invoice.is_move_sent)
        sent = invoice.message_ids.filtered(lambda m: invoice.name in (m.subject or ""))
        self.assertTrue(sent)
        self.assertIn(self.owner.admin_user_id.partner_id, sent.partner_ids)
        self.assertIn(self.owner.partner_id, sent.partner_ids)

    def test_the_monthly_cap_stops_purchases_until_next_month(self):
        self.turn_on(auto_buy_cap=1)
        self.consume(15)
        first = self.auto_invoices()
        self.pay(first)
        self.assertEqual(self.wallet.balance, 65)
        self.consume(50)
        self.assertEqual(self.auto_invoices(), first, "one purchase a month")
        self.assertIn("monthly cap of 1", self.wallet.auto_buy_issue)
        self.assertIn("monthly cap of 1", self.wallet.message_ids[0].body)
        stopped = len(self.wallet.message_ids)
        self.consume(1)
        self.assertEqual(len(self.wallet.message_ids), stopped, "said once")
        with freeze_time(fields.Date.today() + relativedelta(months=1, day=1)):
            self.consume(1)
            self.assertEqual(len(self.auto_invoices()), 2)
        self.assertFalse(self.wallet.auto_buy_issue)

    def test_a_cancelled_invoice_lets_the_next_movement_buy(self):
        self.turn_on()
        self.consume(15)
        invoice = self.auto_invoices()
        invoice.button_draft()
        invoice.button_cancel()
        self.consume(1)
        self.assertEqual(len(self.auto_invoices()), 2)

    def test_a_pack_no_longer_sold_keeps_the_message_and_says_why(self):
        self.turn_on()
        self.pack_50.sale_ok = False
        self.consume(15)
        self.assertEqual(self.wallet.balance, 15, "the consumption is kept")
        self.assertFalse(self.auto_invoices())
        self.assertIn("not a units pack sold by", self.wallet.auto_buy_issue)
        self.assertIn("No pack was bought", self.owner.message_ids[0].body)

    def test_card_on_file_is_charged_by_the_card_cron(self):
        provider = (
            self.env.ref("payment.payment_provider_demo")
            .sudo()
            .copy(
                {
                    "name": "Demo cards A",
                    "company_id": self.reseller_a.id,
                    "state": "test",
                    "allow_tokenization": True,
                }
            )
        )
        token = self.env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref(
                    "payment_demo.payment_method_demo"
                ).id,
                "partner_id": self.owner.admin_user_id.partner_id.id,
                "provider_ref": "owner-card",
                "payment_details": "4242",
                "demo_simulated_state": "done",
            }
        )
        self.owner.sudo().write({"payment_mode": "card", "payment_token_id": token.id})
        self.turn_on()
        self.consume(15)
        invoice = self.auto_invoices()
        self.assertEqual(invoice.payment_state, "not_paid", "no provider call here")
        self.assertFalse(invoice.transaction_ids)
        self.assertFalse(invoice.sending_data)
        self.assertTrue(
            self.cron_triggered("comms_reseller.ir_cron_charge_card_invoices")
        )
        cron = self.env.ref("comms_reseller.ir_cron_charge_card_invoices")
        cron.method_direct_trigger()
        cron.method_direct_trigger()
        tx = invoice.transaction_ids
        self.assertEqual(
            (len(tx), tx.operation, tx.state, tx.token_id, tx.amount),
            (1, "offline", "done", token, invoice.amount_total),
        )
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.wallet.balance, 65)
        self.assertTrue(invoice.sending_data, "emailed once charged")

    # Settings

    def test_settings_are_validated(self):
        wallet = self.wallet.with_user(self.user_a)
        Product = self.env["product.product"]
        other_pack = Product.create(
            {
                "name": "Bravo 50 units",
                "type": "service",
                "lst_price": 9,
                "comms_units_pack": True,
                "comms_units_per_pack": 50,
                "company_id": self.reseller_b.id,
            }
        )
        not_a_pack = Product.create(
            {"name": "Consulting", "type": "service", "lst_price": 1}
        )
        refused = [
            ({"auto_buy_product_id": False}, "needs the units pack"),
            ({"auto_buy_product_id": other_pack.id}, "not a units pack sold by"),
            ({"auto_buy_product_id": not_a_pack.id}, "not a units pack sold by"),
            ({"auto_buy_below": 0}, "at least 1 unit"),
            ({"auto_buy_cap": 0}, "at least one purchase a month"),
        ]
        for values, message in refused:
            with self.assertRefused(ValidationError, message):
                wallet.write(dict(self.auto_buy_values, **values))
            self.assertFalse(self.wallet.auto_buy, values)
        wallet.write(self.auto_buy_values)
        self.assertTrue(self.wallet.auto_buy)
        # Turned off, the pack may stay unset.
        wallet.write({"auto_buy": False, "auto_buy_product_id": False})

    def test_reseller_b_cannot_read_or_write_reseller_a_wallet_settings(self):
        wallet_as_b = self.wallet.with_user(self.user_b)
        with self.assertRaises(AccessError):
            wallet_as_b.read(["auto_buy", "auto_buy_below"])
        with self.assertRaises(AccessError):
            wallet_as_b.write(self.auto_buy_values)
        client = self.owner.admin_user_id
        with self.assertRaises(AccessError):
            self.wallet.with_user(client).write(self.auto_buy_values)
        self.assertFalse(self.wallet.auto_buy)

    # Portal

    def portal_form(self, account):
        page = self.url_open(f"/my/subscription/{account.id}")
        self.assertEqual(page.status_code, 200)
        (form,) = html.fromstring(page.text).xpath(
            "//form[hasclass('o_comms_units_auto_buy')]"
        )
        return form

    def post_auto_buy(self, account, **values):
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text)[1]
        return self.url_open(
            f"/my/subscription/{account.id}/units/auto-buy",
            data={"csrf_token": token, **values},
        )

    def test_the_account_administrator_sets_auto_buy_on_the_portal(self):
        admin = self.owner.admin_user_id
        self.authenticate(admin.login, admin.login)
        form = self.portal_form(self.owner)
        self.assertFalse(form.xpath(".//fieldset[@disabled]"))
        answer = self.post_auto_buy(
            self.owner,
            auto_buy="on",
            pack_id=str(self.pack_100.id),
            auto_buy_below="25",
            auto_buy_cap="3",
        )
        self.assertEqual(answer.status_code, 200)
        self.assertRecordValues(
            self.wallet,
            [
                {
                    "auto_buy": True,
                    "auto_buy_product_id": self.pack_100.id,
                    "auto_buy_below": 25,
                    "auto_buy_cap": 3,
                }
            ],
        )
        form = self.portal_form(self.owner)
        (selected,) = form.xpath(".//option[@selected]")
        self.assertEqual(selected.get("value"), str(self.pack_100.id))
        answer = self.post_auto_buy(
            self.owner, auto_buy="on", pack_id=str(self.pack_50.id), auto_buy_below="0"
        )
        self.assertEqual(answer.status_code, 400)
        self.assertIn("at least 1 unit", answer.text)
        for below, cap in (("-5", "3"), ("ten", "3"), ("25", "-1")):
            answer = self.post_auto_buy(
                self.owner,
                pack_id=str(self.pack_50.id),
                auto_buy_below=below,
                auto_buy_cap=cap,
            )
            self.assertEqual(answer.status_code, 400, below)
            self.assertIn("Enter whole numbers, 0 or more", answer.text)
        self.assertRecordValues(
            self.wallet,
            [{"auto_buy_product_id": self.pack_100.id, "auto_buy_below": 25}],
        )
        answer = self.post_auto_buy(self.owner, pack_id=str(self.pack_100.id))
        self.assertEqual(answer.status_code, 200)
        self.assertFalse(self.wallet.auto_buy, "unticked: turned off")

    def test_another_accounts_user_cannot_set_it(self):
        admin = self.member.admin_user_id
        self.authenticate(admin.login, admin.login)
        answer = self.post_auto_buy(
            self.owner,
            auto_buy="on",
            pack_id=str(self.pack_50.id),
            auto_buy_below="25",
            auto_buy_cap="3",
        )
        self.assertTrue(answer.url.endswith("/my"), answer.url)
        self.assertFalse(self.wallet.auto_buy)

    def test_a_managed_professional_cannot_change_it(self):
        pro = self.create_account("Sierra Pro", kind="professional")
        pro.with_user(self.user_a).managed_by_admin = True
        admin = pro.admin_user_id
        admin.password = admin.login
        self.authenticate(admin.login, admin.login)
        form = self.portal_form(pro)
        self.assertTrue(form.xpath(".//fieldset[@disabled]"))
        self.assertIn("managed by your provider", form.text_content())
        answer = self.post_auto_buy(
            pro,
            auto_buy="on",
            pack_id=str(self.pack_50.id),
            auto_buy_below="25",
            auto_buy_cap="3",
        )
        self.assertEqual(answer.status_code, 403)
        self.assertIn("managed by your provider", answer.text)
        self.assertFalse(pro._units_wallet().auto_buy)
