from lxml import html

from odoo.tests import HttpCase, tagged

from .test_unit_ledger import UnitsCase


@tagged("post_install", "-at_install")
class TestUnitPortal(UnitsCase, HttpCase):
    """The account's administrator sees their units and ledger on the portal, and
    nothing of another account's."""

    def units_section(self, account):
        page = self.url_open(f"/my/subscription/{account.id}")
        self.assertEqual(page.status_code, 200)
        return html.fromstring(page.text)

    def test_administrator_sees_their_units_only(self):
        self.give(self.wallet, 40)
        self.give(self.wallet, 5, promotional=True)
        self.wallet.transfer_units(self.member_wallet.id, 15)
        self.give(self.member_wallet, 700)
        admin = self.owner.admin_user_id
        admin.password = admin.login
        self.authenticate(admin.login, admin.login)
        tree = self.units_section(self.owner)
        balance = tree.xpath("//p[hasclass('o_comms_units_balance')]")[0]
        self.assertIn("30 units", " ".join(balance.text_content().split()))
        self.assertIn(
            "of which 5 promotional", " ".join(balance.text_content().split())
        )
        rows = [
            [cell.text_content().strip() for cell in row.xpath("td")]
            for row in tree.xpath("//table[hasclass('o_comms_units_moves')]/tr")
        ]
        self.assertEqual(
            [row[1:] for row in rows],
            [
                ["Transfer Out", "-15", "30"],
                ["Promotional", "5", "45"],
                ["Correction", "40", "40"],
            ],
        )
        # Neither the member's 700 units nor its balance of 715 show on the page
        # (its scripts aside: their hashes may hold such digits).
        for script in tree.xpath("//script"):
            script.drop_tree()
        self.assertNotRegex(tree.text_content(), r"\b(700|715)\b")
        # Another account's page is not theirs to see.
        other = self.url_open(f"/my/subscription/{self.member.id}")
        self.assertNotIn("o_comms_units_balance", other.text)
