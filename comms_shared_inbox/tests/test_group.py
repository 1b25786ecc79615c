from odoo.tests import TransactionCase
class TestGroup(TransactionCase):
    def test_x(self):
        self.assertTrue(self.env.ref("comms_shared_inbox.demo_group_lyon").sms_number)
