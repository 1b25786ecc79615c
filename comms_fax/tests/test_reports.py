from ast import literal_eval

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

    def test_fax_analysis_opens_on_the_pages_of_delivered_faxes(self):
        self.line._receive_fax("+33612345678", make_pdf(3), "rep-a")
        failed = self.line._receive_fax("+33612345679", make_pdf(2), "rep-b")
        failed.state = "failed"
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_fax.comms_fax_action_report"
        )
        faxes = self.env["comms.fax"].with_user(self.manager)
        first_view = faxes.get_views(action["views"])["views"]["pivot"]
        self.assertEqual(action["views"][0][1], "pivot", "it opens on the pivot")
        self.assertIn('name="page_count" type="measure"', first_view["arch"])
        totals = faxes.web_read_group(
            literal_eval(action["domain"]) + [("line_id", "=", self.line.id)],
            ["page_count:sum"],
            ["group_id"],
        )["groups"]
        self.assertEqual(
            [g["page_count"] for g in totals], [3], "failed faxes left out"
        )
