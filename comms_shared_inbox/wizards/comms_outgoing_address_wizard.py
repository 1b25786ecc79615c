from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Public settings of popular services: (label, host, port, encryption, user, hint)
PRESETS = {
    "gmail": (
        "Gmail / Google Workspace",
        "smtp.gmail.com",
        465,
        "ssl",
        None,
        _lt("Use an app password when 2-step verification is on."),
    ),
    "outlook": (
        "Outlook / Microsoft 365",
        "smtp.office365.com",
        587,
        "starttls",
        None,
        _lt(
            "Microsoft has switched basic SMTP authentication off for most mailboxes: "
            "your administrator must allow SMTP AUTH for this one, or use Odoo's "
            "Outlook OAuth module."
        ),
    ),
    "yahoo": (
        "Yahoo Mail",
        "smtp.mail.yahoo.com",
        465,
        "ssl",
        None,
        _lt("Generate an app password in your Yahoo account security settings."),
    ),
    "icloud": (
        "iCloud Mail",
        "smtp.mail.me.com",
        587,
        "starttls",
        None,
        _lt("Use an app-specific password from your Apple ID settings."),
    ),
    "zoho": (
        "Zoho Mail",
        "smtp.zoho.com",
        465,
        "ssl",
        None,
        _lt("Accounts hosted in the EU use smtp.zoho.eu."),
    ),
    "fastmail": (
        "Fastmail",
        "smtp.fastmail.com",
        465,
        "ssl",
        None,
        _lt("Create an app password with SMTP access in Fastmail's settings."),
    ),
    "gmx": (
        "GMX",
        "mail.gmx.net",
        587,
        "starttls",
        None,
        _lt("Allow POP3/IMAP access in your GMX settings first."),
    ),
    "ovh": (
        "OVHcloud",
        "ssl0.ovh.net",
        465,
        "ssl",
        None,
        _lt("The user name is the full email address."),
    ),
    "ses": (
        "Amazon SES",
        "email-smtp.eu-west-1.amazonaws.com",
        587,
        "starttls",
        None,
        _lt(
            "Use SES SMTP credentials (not your AWS keys), your region's host, and a "
            "verified identity for this address."
        ),
    ),
    "sendgrid": (
        "SendGrid",
        "smtp.sendgrid.net",
        587,
        "starttls",
        "apikey",
        _lt("The user name is literally 'apikey'; the password is your API key."),
    ),
    "mailgun": (
        "Mailgun",
        "smtp.mailgun.org",
        587,
        "starttls",
        None,
        _lt("Use the domain's SMTP credentials; EU domains use smtp.eu.mailgun.org."),
    ),
}


# Presets Odoo can sign in to with OAuth: smtp_authentication of google_gmail /
# microsoft_outlook, and the server settings their constraints require.
OAUTH_PRESETS = {
    "gmail": ("gmail", "smtp.gmail.com", 587),
    "outlook": ("outlook", "smtp.outlook.com", 587),
}


class CommsOutgoingAddressWizard(models.TransientModel):
    _name = "comms.outgoing.address.wizard"
    _description = "Add or change an outgoing address"

    address_id = fields.Many2one("ir.mail_server", "Saved address", readonly=True)
    personal = fields.Boolean(
        "Personal address",
        help="Visible to and usable by you alone.",
        default=lambda self: not self.env.is_system(),
    )
    email = fields.Char("Address", required=True)
    name = fields.Char(help="Shown as the sender's name.")
    preset = fields.Selection(
        [(key, value[0]) for key, value in PRESETS.items()]
        + [("custom", "Custom server")],
        "Service",
        default="custom",
        required=True,
    )
    preset_hint = fields.Char(compute="_compute_preset_hint")
    can_sign_in = fields.Boolean(compute="_compute_can_sign_in")
    sign_in = fields.Boolean(
        "Sign in with Google / Microsoft",
        help="Odoo's own OAuth sign-in (no password stored): you confirm on Google's "
        "or Microsoft's page, then the address is tested and ready.",
    )
    smtp_host = fields.Char("Server", required=True)
    smtp_port = fields.Integer("Port", default=587, required=True)
    smtp_encryption = fields.Selection(
        [("none", "None"), ("starttls", "TLS (STARTTLS)"), ("ssl", "SSL/TLS")],
        "Encryption",
        default="starttls",
        required=True,
    )
    smtp_user = fields.Char("User name")
    smtp_pass = fields.Char("Password")
    user_ids = fields.Many2many("res.users", string="Users")
    group_ids = fields.Many2many("res.groups", string="User groups")
    project_ids = fields.Many2many("project.project", string="Projects")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        address_id = values.get("address_id")
        if address_id:
            address = self.env["ir.mail_server"].browse(address_id)
            address._comms_check_manage()
            values.update(self._values_from_address(address))
        return values

    @api.model
    def _values_from_address(self, address_sudo):
        address_sudo = address_sudo.sudo()  # the caller checked the right to manage it
        return {
            "personal": bool(address_sudo.comms_owner_id),
            "email": address_sudo.comms_email,
            "name": address_sudo.name,
            "preset": address_sudo.comms_preset or "custom",
            "sign_in": address_sudo.smtp_authentication
            in {method for method, _host, _port in OAUTH_PRESETS.values()},
            "smtp_host": address_sudo.smtp_host,
            "smtp_port": address_sudo.smtp_port,
            "smtp_encryption": address_sudo.smtp_encryption,
            "smtp_user": address_sudo.smtp_user,
            "user_ids": [fields.Command.set(address_sudo.comms_user_ids.ids)],
            "group_ids": [fields.Command.set(address_sudo.comms_group_ids.ids)],
            "project_ids": [fields.Command.set(address_sudo.comms_project_ids.ids)],
        }

    @api.depends("preset")
    def _compute_preset_hint(self):
        for wizard in self:
            preset = PRESETS.get(wizard.preset)
            wizard.preset_hint = str(preset[5]) if preset else False

    @api.depends("preset")
    def _compute_can_sign_in(self):
        for wizard in self:
            wizard.can_sign_in = wizard.preset in OAUTH_PRESETS

    @api.onchange("preset")
    def _onchange_preset(self):
        preset = PRESETS.get(self.preset)
        if preset:
            _label, self.smtp_host, self.smtp_port, self.smtp_encryption, user, _ = (
                preset
            )
            self.smtp_user = user or self.email
        # Microsoft has switched basic SMTP authentication off for most mailboxes
        self.sign_in = self.preset == "outlook" and self.env.is_system()
        self._onchange_sign_in()

    @api.onchange("sign_in")
    def _onchange_sign_in(self):
        if self.sign_in and self.preset in OAUTH_PRESETS:
            _method, self.smtp_host, self.smtp_port = OAUTH_PRESETS[self.preset]
            self.smtp_encryption = "starttls"
            self.smtp_user = self.email
            self.smtp_pass = False

    @api.onchange("email")
    def _onchange_email(self):
        if self.email and not self.smtp_user and self.preset != "custom":
            self.smtp_user = self.email

    def _server_values(self, email):
        self.ensure_one()
        values = {
            "name": self.name or email,
            "comms_is_address": True,
            "comms_email": email,
            "comms_preset": self.preset if self.preset != "custom" else False,
            "smtp_host": self.smtp_host.strip(),
            "smtp_port": self.smtp_port,
            "smtp_encryption": self.smtp_encryption,
            "smtp_authentication": "login",
            "smtp_user": self.smtp_user or False,
            "comms_test_state": "untested",
        }
        if self._signs_in():
            values.update(
                smtp_authentication=OAUTH_PRESETS[self.preset][0],
                smtp_encryption="starttls",
                smtp_user=email,
                smtp_pass=False,
            )
        elif self.smtp_pass or not self.address_id:
            values["smtp_pass"] = self.smtp_pass or False
        if self.personal:
            values["comms_owner_id"] = (
                self.address_id.sudo().comms_owner_id.id or self.env.user.id
            )
        else:
            values.update(
                comms_owner_id=False,
                comms_user_ids=[fields.Command.set(self.user_ids.ids)],
                comms_group_ids=[fields.Command.set(self.group_ids.ids)],
                comms_project_ids=[fields.Command.set(self.project_ids.ids)],
            )
        return values

    def _check_rights(self):
        self.ensure_one()
        if self.address_id:
            self.address_id._comms_check_manage()
        if not self.env.is_system() and not self.personal:
            raise AccessError(self.env._("Only administrators add company addresses."))
        if not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only internal users have outgoing addresses.")
            )

    def _signs_in(self):
        return self.sign_in and self.preset in OAUTH_PRESETS

    def _save(self):
        self._check_rights()
        email = email_normalize(self.email or "", strict=True)
        if not email:
            raise UserError(self.env._("%s is not a valid email address.", self.email))
        # sudo: ir.mail_server is admin-only; _check_rights allowed this user's change
        if self.address_id:
            address_sudo = self.address_id.sudo()
            address_sudo.write(self._server_values(email))
            return address_sudo
        return self.env["ir.mail_server"].sudo().create(self._server_values(email))

    def action_test_and_save(self):
        """Save, run Odoo's connection test, and keep the address only if it passes:
        on failure the UserError rolls the whole transaction back."""
        self.ensure_one()
        if self._signs_in():
            return self._sign_in_and_save()
        address_sudo = self._save()
        passed, message = address_sudo._comms_run_test()
        if not passed:
            raise UserError(
                self.env._(
                    "The test failed, nothing was saved.\n\n%(message)s",
                    message=message,
                )
            )
        self.smtp_pass = False
        return {
            "type": "ir.actions.act_window",
            "res_model": "ir.mail_server",
            "res_id": address_sudo.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "comms_shared_inbox.ir_mail_server_view_form_comms"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def _sign_in_and_save(self):
        """Hand over to Odoo's own OAuth (google_gmail / microsoft_outlook): save the
        address untested, so unusable, and open the service's consent page. Odoo's
        callback stores the token; comms_shared_inbox's controller then tests it."""
        if not self.env.is_system():
            raise AccessError(
                self.env._(
                    "Only administrators can connect an address with Google or "
                    "Microsoft sign-in (an Odoo rule). Use an app password instead, or "
                    "ask an administrator."
                )
            )
        address = self._save().with_env(self.env)  # an administrator: no sudo needed
        if self.preset == "gmail":
            if not address.google_gmail_uri:
                raise UserError(
                    self.env._(
                        "Google sign-in is not set up yet, nothing was saved: enter "
                        "your Google application's client ID and secret under Settings "
                        "▸ Discuss ▸ Use a Gmail Server, or use an app password."
                    )
                )
            return address.open_google_gmail_uri() | {"target": "self"}
        if not address.is_microsoft_outlook_configured:
            raise UserError(
                self.env._(
                    "Microsoft sign-in is not set up yet, nothing was saved: enter "
                    "your Microsoft application's client ID and secret under Settings "
                    "▸ Discuss ▸ Use an Outlook Server."
                )
            )
        return address.open_microsoft_outlook_uri() | {"target": "self"}
