from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAccountSettings(ResellerCase):
    """Voicemail transcription, outgoing caller ID and custom URLs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pro = cls.create_account(
            "Tango Pro", kind="professional", status="production"
        )
        cls.pro_number = cls.create_number("+12025550191", account=cls.pro)
        cls.shop = cls.create_account("Uniform Shop", status="production")
        cls.shop_number = cls.create_number("+12025550192", account=cls.shop)

    def test_transcription_by_mutare_unless_chosen(self):
        self.assertEqual(self.pro.voicemail_transcription, "mutare")
        account = self.pro.with_user(self.user_a)
        with self.assertRefused(ValidationError, "enter the MyScribbit email"):
            account.voicemail_transcription = "myscribbit"
        with self.assertRefused(ValidationError, "MyScribbit email"):
            account.write(
                {
                    "voicemail_transcription": "myscribbit",
                    "myscribbit_email": "not an email",
                }
            )
        account.write(
            {
                "voicemail_transcription": "myscribbit",
                "myscribbit_email": "tango@myscribbit.example.com",
            }
        )
        self.assertEqual(self.pro.voicemail_transcription, "myscribbit")
        account.voicemail_transcription = "none"
        self.assertEqual(self.pro.voicemail_transcription, "none")

    def test_caller_id_is_one_of_the_account_numbers(self):
        account = self.pro.with_user(self.user_a)
        with self.assertRefused(ValidationError, "must be one of its numbers"):
            account.caller_id_number_id = self.shop_number
        with Form(account) as form:
            form.caller_id_name = "Tango Legal"
            form.caller_id_number_id = self.pro_number
        self.assertEqual(self.pro.caller_id_number_id, self.pro_number)
        self.assertEqual(self.pro.caller_id_name, "Tango Legal")

    def test_custom_urls_are_http_or_https(self):
        account = self.shop.with_user(self.user_a)
        for bad in (
            "javascript:alert(1)",
            "ftp://files.example.com/prompt.wav",
            "www.example.com",
            "https://",
            "http//example.com",
        ):
            with (
                self.subTest(url=bad),
                self.assertRefused(
                    ValidationError, "starting with http:// or https://"
                ),
            ):
                account.url_prompt_voice_alerts = bad
        account.write(
            {
                "url_web_portal": "https://portal.uniform.example.com",
                "url_prompt_virtual_assistant": "https://cdn.example.com/va.wav",
                "url_prompt_virtual_receptionist": "http://cdn.example.com/vr.wav",
                "url_prompt_voice_alerts": "https://cdn.example.com/alerts.wav",
                "url_after_logout": "https://www.uniform.example.com/bye?x=1",
            }
        )
        self.assertEqual(
            self.shop.url_after_logout, "https://www.uniform.example.com/bye?x=1"
        )
