from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestPhoneSenders(CommsCase):
    """A new customer made from a number keeps it where Odoo looks for what it can
    do: a texting number as mobile, a fax machine's as phone, so that no text is
    offered to a fax machine."""

    def test_unknown_texter_is_a_mobile(self):
        self.group._receive_by_phone("sms", "+33612345678", "Bonjour", "SMp1")
        conversation = self.conversation_of(phone="+33612345678")
        self.assertEqual(conversation.partner_id.mobile, "+33 6 12 34 56 78")
        self.assertFalse(conversation.partner_id.phone)

    def test_unknown_fax_sender_is_a_phone_not_a_mobile(self):
        self.group._receive_by_phone("fax", "+33478123456", "", "FXp1")
        conversation = self.conversation_of(phone="+33478123456")
        self.assertEqual(conversation.partner_id.phone, "+33478123456")
        self.assertFalse(conversation.partner_mobile, "Reply by SMS stays hidden")

    def test_a_known_number_is_found_whichever_field_holds_it(self):
        self.group._receive_by_phone("fax", "+33478123456", "", "FXp2")
        self.group._receive_by_phone("sms", "+33478123456", "Et par SMS", "SMp2")
        partners = self.env["res.partner"].search([("name", "=", "+33478123456")])
        self.assertEqual(len(partners), 1)
