from odoo.tests import HttpCase, tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestPresence(CommsCase, HttpCase):
    """Front's collision detection: a member opening a conversation learns who else
    is viewing it or writing a reply, through the presence route and Odoo's bus."""

    def setUp(self):
        super().setUp()
        self.group._receive_sms("+33612345678", "Bonjour", "SMp1")
        self.conversation = self.conversation_of(phone="+33612345678")

    def announce(self, login, state):
        self.authenticate(login, login)
        response = self.make_jsonrpc_request(
            "/comms_shared_inbox/presence",
            {"conversation_id": self.conversation.id, "state": state},
        )
        return {(other["name"], other["state"]) for other in response}

    def test_viewing_then_typing_then_gone(self):
        self.assertEqual(self.announce("member2", "viewing"), set())
        self.assertEqual(
            self.announce("member", "viewing"), {("Paul Member", "viewing")}
        )
        self.announce("member2", "typing")
        self.assertEqual(
            self.announce("member", "viewing"), {("Paul Member", "typing")}
        )
        self.announce("member2", "left")
        self.assertEqual(self.announce("member", "viewing"), set())

    def test_outsiders_neither_announce_nor_see(self):
        self.announce("member2", "typing")
        self.authenticate("outsider", "outsider")
        with self.assertRaises(Exception) as refusal:
            self.make_jsonrpc_request(
                "/comms_shared_inbox/presence",
                {"conversation_id": self.conversation.id, "state": "viewing"},
            )
        self.assertIn("AccessError", str(refusal.exception))
