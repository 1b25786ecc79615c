from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestDashboard(CommsCase):
    def test_acknowledged_button_opens_the_acknowledged(self):
        self.group._receive_sms("+33612345601", "one", "SMa1")
        self.group._receive_sms("+33612345602", "two", "SMa2")
        acknowledged = self.conversation_of(phone="+33612345601")
        acknowledged.with_user(self.member).action_acknowledge()
        group = self.group.with_user(self.member)
        self.assertEqual(group.acknowledged_count, 1)
        action = group.action_open_acknowledged()
        self.assertEqual(action["context"].get("search_default_acknowledged"), 1)
        search_view = self.env.ref("comms_shared_inbox.comms_conversation_view_search")
        arch = etree.fromstring(search_view.arch)
        domain = arch.xpath("//filter[@name='acknowledged']")[0].get("domain")
        shown = (
            self.env["comms.conversation"]
            .with_user(self.member)
            .search(action["domain"] + safe_eval(domain))
        )
        self.assertEqual(shown, acknowledged)

    def test_sms_number_warning_unless_twilio(self):
        self.env.company.sms_provider = "iap"
        self.assertIn("only through Twilio", self.group.sms_number_warning)
        self.env.company.sms_provider = "twilio"
        self.group.invalidate_recordset(["sms_number_warning"])
        self.assertFalse(self.group.sms_number_warning)

    def test_managers_may_export_members_may_not(self):
        self.assertTrue(self.manager.has_group("base.group_allow_export"))
        self.assertFalse(self.member.has_group("base.group_allow_export"))

    def test_message_analysis_opens_on_count_by_channel(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_message_action_report"
        )
        context = safe_eval(action["context"])
        self.assertEqual(context["pivot_measures"], ["__count"])
        self.assertIn("channel", context["graph_groupbys"])
        views = (
            self.env["comms.message"]
            .with_user(self.manager)
            .get_views([(False, "pivot")])["views"]["pivot"]["arch"]
        )
        self.assertNotIn('type="measure"', views)
