from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestBilling(VirtualOfficeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 21%",
                "amount_type": "percent",
                "amount": 21.0,
                "type_tax_use": "sale",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Office handling",
                "type": "service",
                "taxes_id": [(6, 0, cls.tax.ids)],
            }
        )
        cls.env.company.office_invoice_product_id = cls.product
        Cost = cls.env["comms.mail.item.cost"]
        item_a = cls.create_item(cls.client_a)
        item_a_contact = cls.create_item(cls.portal_a.partner_id, direction="outgoing")
        item_b = cls.create_item(cls.client_b)
        cls.costs_a = Cost.create(
            [
                {
                    "mail_item_id": item_a.id,
                    "name": "Storage",
                    "amount": 4.0,
                    "date": date(2025, 3, 3),
                },
                {
                    "mail_item_id": item_a_contact.id,
                    "name": "Postage",
                    "amount": 7.35,
                    "date": date(2025, 3, 20),
                },
            ]
        )
        cls.cost_b = Cost.create(
            {
                "mail_item_id": item_b.id,
                "name": "Forwarding",
                "amount": 12.0,
                "date": date(2025, 3, 5),
            }
        )
        cls.cost_b_april = Cost.create(
            {
                "mail_item_id": item_b.id,
                "name": "Storage",
                "amount": 2.0,
                "date": date(2025, 4, 2),
            }
        )
        cls.Move = cls.env["account.move"]

    def _run(self, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31), user=None):
        wizard = (
            self.env["comms.office.invoice.wizard"]
            .with_user(user or self.office_manager)
            .create({"date_from": date_from, "date_to": date_to})
        )
        return wizard

    def test_summary_per_client_and_period(self):
        groups = self.env["comms.mail.item.cost"]._read_group(
            [
                ("invoiced", "=", False),
                ("id", "in", (self.costs_a | self.cost_b | self.cost_b_april).ids),
            ],
            ["commercial_partner_id", "date:month"],
            ["amount:sum"],
        )
        totals = {
            (partner.name, month.month): amount for partner, month, amount in groups
        }
        self.assertEqual(
            totals,
            {
                ("Alpha Consulting", 3): 11.35,
                ("Beta Trading", 3): 12.0,
                ("Beta Trading", 4): 2.0,
            },
        )
        wizard = self._run()
        self.assertEqual((wizard.client_count, wizard.cost_count), (2, 3))

    def test_one_draft_invoice_per_client(self):
        action = self._run().action_create_invoices()
        moves = self.Move.search(action["domain"])
        invoice_a, invoice_b = self.costs_a.invoice_id, self.cost_b.invoice_id
        self.assertEqual(moves, invoice_a | invoice_b)
        self.assertEqual(invoice_a.partner_id, self.client_a)
        self.assertEqual(invoice_b.partner_id, self.client_b)
        self.assertEqual(set(moves.mapped("state")), {"draft"})
        self.assertEqual(set(moves.mapped("move_type")), {"out_invoice"})
        lines = invoice_a.invoice_line_ids
        self.assertEqual(lines.mapped("price_unit"), [4.0, 7.35], "in date order")
        self.assertEqual(lines.product_id, self.product)
        self.assertEqual(lines.tax_ids, self.tax)
        self.assertAlmostEqual(invoice_a.amount_untaxed, 11.35)
        self.assertAlmostEqual(invoice_a.amount_tax, 2.38, msg="21 % of 11.35")
        self.assertEqual(
            {cost.amount: cost.invoice_line_id.price_unit for cost in self.costs_a},
            {4.0: 4.0, 7.35: 7.35},
        )
        self.assertTrue(all(self.costs_a.mapped("invoiced")))
        self.assertFalse(self.cost_b_april.invoiced, "outside the period")

    def test_new_invoices_open_in_the_customer_invoice_list(self):
        action = self._run().action_create_invoices()
        self.assertEqual(action["context"].get("default_move_type"), "out_invoice")
        list_view = dict((mode, view) for view, mode in action["views"])["list"]
        moves = self.Move.with_user(self.office_manager).with_context(
            **action["context"]
        )
        arch = moves.get_views([(list_view, "list")])["views"]["list"]["arch"]
        # Odoo's customer invoice list: the customer and the total per row, not
        # the journal entry list where each draft reads "/".
        self.assertIn('string="Customer"', arch)
        self.assertIn('name="amount_total_in_currency_signed"', arch)
        rows = moves.search_read(action["domain"], ["invoice_partner_display_name"])
        self.assertEqual(
            sorted(row["invoice_partner_display_name"] for row in rows),
            ["Alpha Consulting", "Beta Trading"],
        )

    def test_each_cost_keeps_its_line_whatever_the_line_order(self):
        """The invoice may order its lines otherwise than the costs: each cost
        is still linked to its own line."""
        Cost = type(self.env["comms.mail.item.cost"])
        prepare = Cost._prepare_invoice_vals

        def prepare_reversed(costs, partner, company):
            vals = prepare(costs, partner, company)
            vals["invoice_line_ids"].reverse()
            return vals

        with patch.object(Cost, "_prepare_invoice_vals", prepare_reversed):
            self.costs_a._create_invoices()
        lines = self.costs_a.invoice_id.invoice_line_ids.sorted("id")
        self.assertEqual(lines.mapped("price_unit"), [7.35, 4.0])
        storage, postage = self.costs_a
        self.assertEqual(storage.invoice_line_id.price_unit, 4.0)
        self.assertRegex(storage.invoice_line_id.name, " - Storage$")
        self.assertEqual(postage.invoice_line_id.price_unit, 7.35)
        self.assertRegex(postage.invoice_line_id.name, " - Postage$")

    def test_second_run_creates_nothing(self):
        self._run().action_create_invoices()
        count = self.Move.search_count([("move_type", "=", "out_invoice")])
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            self._run().action_create_invoices()
        self.assertFalse((self.costs_a | self.cost_b)._create_invoices())
        self.assertEqual(
            self.Move.search_count([("move_type", "=", "out_invoice")]), count
        )

    def test_cancelled_invoice_frees_its_costs(self):
        self._run().action_create_invoices()
        invoice_a = self.costs_a.invoice_id
        invoice_a.button_cancel()
        self.assertFalse(any(self.costs_a.mapped("invoiced")))
        self.assertTrue(self.cost_b.invoiced)
        moves = self.costs_a.with_user(self.office_manager)._create_invoices()
        self.assertEqual(len(moves), 1)
        self.assertNotEqual(moves, invoice_a)
        self.assertEqual(self.costs_a.invoice_id, moves)
        self.assertTrue(all(self.costs_a.mapped("invoiced")))

    def test_deleted_draft_invoice_frees_its_costs(self):
        self._run().action_create_invoices()
        self.cost_b.invoice_id.unlink()
        self.assertFalse(self.cost_b.invoice_line_id)
        self.assertFalse(self.cost_b.invoiced)

    def test_invoiced_cost_is_locked(self):
        self._run().action_create_invoices()
        cost = self.cost_b.with_user(self.office_user)
        with self.assertRaises(UserError):
            cost.amount = 1.0
        with self.assertRaises(UserError):
            cost.unlink()
        with self.assertRaises(UserError):
            cost.mail_item_id.with_user(self.office_manager).unlink()

    def test_list_action_on_selected_costs(self):
        action = self.cost_b.with_user(self.office_manager).action_create_invoices()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("account.move", self.cost_b.invoice_id.id),
        )
        self.assertTrue(self.cost_b.invoiced)
        self.assertFalse(self.costs_a.filtered("invoiced"))
        with self.assertRaises(UserError):
            self.cost_b.with_user(self.office_manager).action_create_invoices()

    def test_only_billing_staff_invoice(self):
        for user in (self.employee, self.office_user):
            with self.assertRaisesRegex(AccessError, "Only virtual office managers"):
                self.costs_a.with_user(user)._create_invoices()
        self.assertFalse(self.costs_a.filtered("invoiced"))
