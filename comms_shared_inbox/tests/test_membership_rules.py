from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestMembershipRules(CommsCase):
    """What a member sees follows the group's members list at once, although the
    rules read each user's groups as a list of ids (see res.users.comms_group_ids)."""

    def setUp(self):
        super().setUp()
        self.group._receive_sms("+33612345678", "Bonjour", "SMm1")
        self.conversation = self.conversation_of(phone="+33612345678")
        self.log = self.conversation.message_log_ids

    def visible(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_leaving_and_joining_a_group_changes_access_at_once(self):
        self.assertEqual(
            self.visible(self.member, self.conversation), self.conversation
        )
        self.group.user_ids -= self.member
        self.assertFalse(self.visible(self.member, self.conversation))
        self.assertFalse(self.visible(self.member, self.log))
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.member).read(["state"])
        self.group.user_ids += self.member
        self.assertEqual(self.visible(self.member, self.log), self.log)

    def test_managers_see_their_groups(self):
        self.group.user_ids -= self.outsider
        self.assertFalse(self.visible(self.outsider, self.conversation))
        self.group.manager_ids += self.outsider
        self.assertEqual(
            self.visible(self.outsider, self.conversation), self.conversation
        )
