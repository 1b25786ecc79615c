from odoo.tests import tagged

from .common import FaxCase, make_pdf


@tagged("post_install", "-at_install")
class TestFaxReports(FaxCase):
    def test_faxes_and_pages_per_group_line_and_month(self):
        self.line._receive_fax("+33612345678", make_pdf(3), "rep-1")
        self.line._receive_fax("+33612345679", make_pdf(2), "rep-2")
        self.other_line._receive_fax("+33612345678", make_pdf(5), "rep-3")
        groups = self.env["comms.fax"]._read_group(
            [
                ("state", "in", ("received", "sent")),
                ("line_id", "in", (self.line | self.other_line).ids),
            ],
            ["group_id", "line_id", "date:month", "direction"],
            ["__count", "page_count:sum"],
        )
        figures = {(g.name, line.number, d): (n, p) for g, line, _m, d, n, p in groups}
        self.assertEqual(
            figures,
            {
                ("Lyon", "+33472990001", "in"): (2, 5),
                ("Paris", "+33140990002", "in"): (1, 5),
            },
        )

    def test_faxes_are_in_the_message_log_with_other_channels(self):
        self.group._receive_sms("+33612345678", "Fax coming", "SMrep1")
        self.line._receive_fax("+33612345678", make_pdf(4), "rep-4")
        log = self.env["comms.message"]._read_group(
            [("group_id", "=", self.group.id)],
            ["channel"],
            ["__count", "page_count:sum"],
        )
        self.assertEqual(sorted(log), [("fax", 1, 4), ("sms", 1, 0)])

    def test_report_action_is_a_pivot(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_fax.comms_fax_action_report"
        )
        self.assertEqual(action["view_mode"], "pivot,graph,list")
