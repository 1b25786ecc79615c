import re

from lxml import html

from odoo.tests import HttpCase, tagged

from .test_unit_purchase import UnitPurchaseCase


@tagged("post_install", "-at_install")
class TestUnitPortalBuy(UnitPurchaseCase, HttpCase):
    """The account's administrator buys a units pack from My subscription and
    pays the account's invoice on Odoo's invoice page; the units arrive when it
    is paid. Nobody else buys for the account, and only packs on offer."""

    def login(self, account):
        user = account.admin_user_id
        user.password = user.login
        self.authenticate(user.login, user.login)

    def buy_form(self, account):
        page = self.url_open(f"/my/subscription/{account.id}")
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.text)
        return tree.xpath("//form[hasclass('o_comms_units_buy')]")

    def post_buy(self, account, pack_id, token):
        return self.url_open(
            f"/my/subscription/{account.id}/units/buy",
            data={"pack_id": str(pack_id), "csrf_token": token},
        )

    def invoices(self):
        return self.env["account.move"].search(
            [
                ("comms_account_id", "=", self.owner.id),
                ("move_type", "=", "out_invoice"),
            ]
        )

    def test_administrator_buys_a_pack_and_pays_it_online(self):
        self.login(self.owner)
        (form,) = self.buy_form(self.owner)
        offered = {
            option.get("value"): option.text_content().strip()
            for option in form.xpath(".//option")
        }
        self.assertEqual(offered[str(self.pack_50.id)], "50 units")
        self.assertEqual(offered[str(self.pack_100.id)], "100 units")
        packs = self.env["product.product"].browse(int(pack) for pack in offered)
        self.assertTrue(all(packs.mapped("comms_units_pack")), "packs only")
        token = form.xpath(".//input[@name='csrf_token']")[0].get("value")
        answer = self.post_buy(self.owner, self.pack_100.id, token)
        invoice = self.invoices()
        self.assertEqual(len(invoice), 1)
        self.assertRegex(answer.url, rf"/my/invoices/{invoice.id}\?access_token=")
        self.assertEqual(answer.status_code, 200)
        self.assertIn(invoice.name, answer.text)
        self.assertEqual(invoice.partner_id, self.owner.partner_id)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.product_id, self.pack_100)
        self.assertEqual(invoice.amount_untaxed, 18)
        self.assertEqual(self.wallet.balance, 0, "not before it is paid")
        self.pay(invoice)
        self.assertEqual(self.wallet.balance, 100)
        page = self.url_open(f"/my/subscription/{self.owner.id}")
        self.assertIn("100", page.text.split("o_comms_units_balance")[1][:200])

    def test_another_portal_user_cannot_buy_for_the_account(self):
        self.login(self.member)
        self.assertTrue(self.buy_form(self.member), "their own account has the form")
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text)[1]
        answer = self.post_buy(self.owner, self.pack_50.id, token)
        self.assertTrue(answer.url.endswith("/my"), answer.url)
        self.assertFalse(self.invoices())
        self.assertFalse(
            self.env["account.move"].search([("comms_account_id", "=", self.member.id)])
        )

    def test_forged_pack_is_refused(self):
        other_reseller_pack = self.pack_50.copy(
            {"name": "Bravo 500 units", "company_id": self.reseller_b.id}
        )
        not_a_pack = self.env["product.product"].create(
            {"name": "Consulting", "type": "service", "lst_price": 1}
        )
        self.login(self.owner)
        (form,) = self.buy_form(self.owner)
        token = form.xpath(".//input[@name='csrf_token']")[0].get("value")
        for forged in (other_reseller_pack.id, not_a_pack.id, 0, "x"):
            answer = self.post_buy(self.owner, forged, token)
            self.assertEqual(answer.status_code, 400, forged)
            self.assertIn("Choose one of the units packs on offer.", answer.text)
        self.assertFalse(self.invoices())
