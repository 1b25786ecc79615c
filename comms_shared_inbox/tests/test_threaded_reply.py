import email
import email.policy

from odoo.tests import Form, tagged

from .common import CommsCase

# What Thunderbird sends when a colleague of the customer answers the group's reply:
# its own Message-Id, the answered one in In-Reply-To, the thread in References.
CLIENT_REPLY = """From: Jean Dupont <jean@dupont.example>
To: {reply_to}
Subject: {subject}
Message-ID: <5e1f0c2a-7d1b-4f5e-9b1e-2c8f3a1d9e77@dupont.example>
In-Reply-To: {in_reply_to}
References: {references}
Date: Tue, 24 Nov 2026 10:12:44 +0100
User-Agent: Mozilla Thunderbird
Content-Language: fr
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

C'est noté pour jeudi, merci !

Le 24/11/2026 à 10:02, Lyon a écrit :
> Livraison jeudi matin.
"""


@tagged("post_install", "-at_install")
class TestThreadedReply(CommsCase):
    def setUp(self):
        super().setUp()
        self.deliver_email(
            email_from="Boulangerie Dupont <commandes@dupont.example>",
            subject="Farine T65, 40 sacs",
            msg_id="<farine-t65-1@dupont.example>",
            body="Bonjour,\nil nous faut 40 sacs de T65.",
        )
        self.conversation = self.conversation_of(
            email="commandes@dupont.example"
        ).with_user(self.member)

    def _sent(self):
        """The one email that went over SMTP, parsed as the customer receives it."""
        self.assertEqual(len(self.emails), 1)
        return email.message_from_string(
            self.emails[0]["message"], policy=email.policy.SMTP
        )

    def _assert_in_thread(self, sent):
        self.assertEqual(sent["Subject"], "Re: Farine T65, 40 sacs")
        self.assertEqual(sent["In-Reply-To"], "<farine-t65-1@dupont.example>")
        self.assertIn("<farine-t65-1@dupont.example>", sent["References"].split())
        self.assertIn(self.alias_email, sent["From"])
        self.assertNotIn("member@example.com", sent["From"])

    def test_quick_reply_answers_in_the_customers_thread(self):
        with self.mock_mail_gateway():
            self.conversation.message_post(
                body="Livraison jeudi matin.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self._assert_in_thread(self._sent())

    def test_full_composer_answers_in_the_customers_thread(self):
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.member)
            .with_context(
                default_model="comms.conversation",
                default_res_ids=self.conversation.ids,
                default_composition_mode="comment",
            )
        )
        self.assertEqual(composer.subject, "Re: Farine T65, 40 sacs")
        self.assertIn(self.alias_email, composer.email_from)
        composer.body = "<p>Livraison jeudi matin.</p>"
        with self.mock_mail_gateway():
            composer.save().action_send_mail()
        self._assert_in_thread(self._sent())

    def test_customers_answer_lands_in_the_same_conversation(self):
        with self.mock_mail_gateway():
            self.conversation.message_post(
                body="Livraison jeudi matin.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        sent = self._sent()
        self.env["mail.thread"].sudo().message_process(
            None,
            CLIENT_REPLY.format(
                reply_to=sent["Reply-To"],
                subject=sent["Subject"],
                in_reply_to=sent["Message-Id"],
                references=f"{sent['References']} {sent['Message-Id']}",
            ),
        )
        self.assertIn("noté pour jeudi", self.conversation.message_ids[0].body)
        self.assertEqual(
            self.env["comms.conversation"].search_count(
                [("group_id", "=", self.group.id)]
            ),
            1,
            "a colleague's answer in the thread opens no second conversation",
        )
        self.assertEqual(self.conversation.preview_direction, "in")
        self.assertEqual(self.conversation.preview_title, "Re: Farine T65, 40 sacs")
