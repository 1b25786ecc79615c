import secrets
import string
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import single_email_re

from odoo.addons.comms_fax.models.comms_fax_line import DONE_STATES

# The account limits: {key: (account kinds, hard maximum or None)}. Each has a
# default on the reseller (res.company.comms_default_<key>_limit) that the account
# follows unless it overrides it.
LIMITS = {
    "shared_contacts": (("company",), None),
    "contacts": (("professional",), 3000),
    "voice_directory": (("professional",), None),
    "downloaded_messages": (("professional",), None),
    "voicemails": (("professional",), None),
    "faxes": (("professional",), None),
}
# The limits whose usage the suite records; the others are stored and shown only.
COUNTED_LIMITS = ("shared_contacts", "faxes")
ALERT_RATIO = 0.8
URL_FIELDS = (
    "url_web_portal",
    "url_prompt_virtual_assistant",
    "url_prompt_virtual_receptionist",
    "url_prompt_voice_alerts",
    "url_after_logout",
)
PIN_LENGTHS = (4, 8)
PROVISIONING_CODE_LENGTH = 16
# IP phones type the code on a keypad: letters and digits only.
PROVISIONING_ALPHABET = string.ascii_letters + string.digits
RESELLER = "comms_reseller.group_reseller_user"


class CommsAccount(models.Model):
    """The account's settings (issue 11, items 3 to 10), apart from the account's
    own file to keep its merges simple."""

    _inherit = "comms.account"

    # Limits (3, 4): the effective value, whether it overrides the default, and
    # the overriding value.
    shared_contacts_limit = fields.Integer(compute="_compute_limits", store=True)
    shared_contacts_limit_override = fields.Boolean(string="Override Shared Contacts")
    shared_contacts_limit_custom = fields.Integer(string="Shared Contacts (Own)")
    contacts_limit = fields.Integer(compute="_compute_limits", store=True)
    contacts_limit_override = fields.Boolean(string="Override Contacts")
    contacts_limit_custom = fields.Integer(string="Contacts (Own)")
    voice_directory_limit = fields.Integer(compute="_compute_limits", store=True)
    voice_directory_limit_override = fields.Boolean(string="Override Voice Directory")
    voice_directory_limit_custom = fields.Integer(string="Voice Directory (Own)")
    downloaded_messages_limit = fields.Integer(compute="_compute_limits", store=True)
    downloaded_messages_limit_override = fields.Boolean(
        string="Override Downloaded Messages"
    )
    downloaded_messages_limit_custom = fields.Integer(
        string="Downloaded Messages (Own)"
    )
    voicemails_limit = fields.Integer(
        compute="_compute_limits", store=True, string="Voicemails on Disk Limit"
    )
    voicemails_limit_override = fields.Boolean(string="Override Voicemails on Disk")
    voicemails_limit_custom = fields.Integer(string="Voicemails on Disk (Own)")
    faxes_limit = fields.Integer(
        compute="_compute_limits",
        store=True,
        string="Faxes on Disk Limit",
        help="The documents of at most this many faxes are kept on each of the "
        "account's fax lines; the oldest are removed first.",
    )
    faxes_limit_override = fields.Boolean(string="Override Faxes on Disk")
    faxes_limit_custom = fields.Integer(string="Faxes on Disk (Own)")
    shared_contact_ids = fields.One2many(
        "comms.account.contact", "account_id", string="Shared Contacts"
    )
    shared_contacts_usage = fields.Integer(
        compute="_compute_limit_usage",
        compute_sudo=True,
        string="Shared Contacts in Use",
    )
    faxes_usage = fields.Integer(
        compute="_compute_limit_usage",
        compute_sudo=True,
        string="Faxes on Disk",
        help="Delivered faxes of the account's fax lines whose document is kept.",
    )
    limit_alert = fields.Boolean(
        string="Near a Limit",
        compute="_compute_limit_alert",
        search="_search_limit_alert",
        help="At 80 % or more of a limit whose usage is counted.",
    )

    # Assistant call options (5), as Evatel names them
    assistant_stays_on_received = fields.Boolean(
        string="Assistant Stays on Calls Received",
        help="After answering, the user can go back to the assistant (** puts the "
        "call on hold) to set up a conference or transfer the call.",
    )
    assistant_stays_on_made = fields.Boolean(
        string="Assistant Stays on Calls Made",
        help="The assistant stays on the line during and after the calls the user "
        "makes through it, to place the next call.",
    )
    assistant_voicemail_unanswered = fields.Boolean(
        string="Unanswered Calls to Voicemail",
        default=True,
        help="Calls nobody answers go to voicemail instead of ringing out.",
    )

    # Voicemail transcription (6)
    voicemail_transcription = fields.Selection(
        [
            ("mutare", "Mutare"),
            ("google", "Google Speech"),
            ("myscribbit", "MyScribbit"),
            ("none", "None"),
        ],
        required=True,
        default="mutare",
        tracking=True,
    )
    myscribbit_email = fields.Char(
        string="MyScribbit Email",
        help="The MyScribbit account the voicemails are sent to for transcription.",
    )

    # Management restrictions (7)
    forbid_user_management = fields.Boolean(
        tracking=True,
        help="The account's administrator can no longer add or edit users on the "
        "portal.",
    )
    managed_by_admin = fields.Boolean(
        string="Managed by the Administrator",
        tracking=True,
        help="The reseller manages the account: its user can change nothing of it "
        "on the portal.",
    )
    pin_hash = fields.Char(copy=False, groups="base.group_system")
    pin_new = fields.Char(
        string="New PIN",
        compute="_compute_pin_new",
        inverse="_inverse_pin",
        groups=RESELLER,
    )
    pin_confirm = fields.Char(
        string="Confirm PIN",
        compute="_compute_pin_new",
        inverse="_inverse_pin",
        groups=RESELLER,
    )
    pin_set = fields.Boolean(
        string="PIN Set", compute="_compute_secrets_set", compute_sudo=True
    )

    # SIP credentials and provisioning (8)
    sip_username = fields.Char(string="SIP Username", copy=False, groups=RESELLER)
    # Kept in clear: the system logs in with it. Administrators only, as
    # ir.mail_server.smtp_pass; the reseller sets it through sip_password_new.
    sip_password = fields.Char(
        string="SIP Password", copy=False, groups="base.group_system"
    )
    sip_password_new = fields.Char(
        string="New SIP Password",
        compute="_compute_sip_password_new",
        inverse="_inverse_sip_password_new",
        groups=RESELLER,
        help="Never shown again once saved.",
    )
    sip_password_set = fields.Boolean(
        string="SIP Password Set", compute="_compute_secrets_set", compute_sudo=True
    )
    provisioning_ftp_url = fields.Char(
        related="company_id.comms_provisioning_ftp_url",
        string="Provisioning FTP Site",
        groups=RESELLER,
    )
    provisioning_code = fields.Char(copy=False, groups="base.group_system")
    provisioning_code_set = fields.Boolean(
        string="Security Code Set", compute="_compute_secrets_set", compute_sudo=True
    )

    # Outgoing caller ID (9)
    caller_id_name = fields.Char(string="Caller ID Name", tracking=True)
    caller_id_number_id = fields.Many2one(
        "comms.number",
        string="Caller ID Number",
        domain="[('account_id', '=', id)]",
        check_company=True,
        tracking=True,
    )

    # Custom URLs (10)
    url_web_portal = fields.Char(string="Web Portal URL")
    url_prompt_virtual_assistant = fields.Char(string="Virtual Assistant Prompt")
    url_prompt_virtual_receptionist = fields.Char(string="Virtual Receptionist Prompt")
    url_prompt_voice_alerts = fields.Char(string="Voice Alerts Prompt")
    url_after_logout = fields.Char(string="After Logout Page")

    _sql_constraints = [
        (
            "contacts_limit_max",
            "CHECK(contacts_limit <= 3000)",
            "An account holds at most 3000 contacts.",
        ),
    ]

    @api.depends(
        *(f"{key}_limit_override" for key in LIMITS),
        *(f"{key}_limit_custom" for key in LIMITS),
        *(f"company_id.comms_default_{key}_limit" for key in LIMITS),
    )
    def _compute_limits(self):
        for account in self:
            for key in LIMITS:
                account[f"{key}_limit"] = account._limit_value(key)

    def _limit_value(self, key):
        self.ensure_one()
        if self[f"{key}_limit_override"]:
            return self[f"{key}_limit_custom"]
        return self.company_id[f"comms_default_{key}_limit"]

    def _compute_limit_usage(self):
        # Counted on the saved accounts, also when the form recomputes a draft.
        saved = self._origin
        contacts = dict(
            self.env["comms.account.contact"]._read_group(
                [("account_id", "in", saved.ids)], ["account_id"], ["__count"]
            )
        )
        faxes = saved._faxes_on_disk_counts()
        for account in self:
            account.shared_contacts_usage = contacts.get(account._origin, 0)
            account.faxes_usage = faxes.get(account._origin, 0)

    def _faxes_on_disk_counts(self):
        """{account: delivered faxes whose document its fax lines keep}, counted
        as comms_fax counts them for the lines' document limit."""
        if not self.ids:
            return {}
        domain = [
            ("state", "in", DONE_STATES),
            ("document_purged", "=", False),
            ("attachment_id", "!=", False),
            ("line_id.comms_account_id", "in", self.ids),
        ]
        counts = {}
        for line, count in self.env["comms.fax"]._read_group(
            domain, ["line_id"], ["__count"]
        ):
            account = line.comms_account_id
            counts[account] = counts.get(account, 0) + count
        return counts

    def _check_shared_contacts_limit(self):
        """Refuse shared contacts beyond the account's limit."""
        if not self:
            return
        # Two users adding the last allowed contact at once both update the
        # account's row: in REPEATABLE READ the second fails to serialize and Odoo
        # retries it, then it counts the first one's contact.
        self.env.cr.execute(
            "UPDATE comms_account SET shared_contacts_limit = shared_contacts_limit "
            "WHERE id IN %s",
            [tuple(sorted(self.ids))],
        )
        self.env["comms.account.contact"].flush_model(["account_id"])
        self.invalidate_recordset(["shared_contacts_usage"])
        for account in self:
            if account.shared_contacts_usage > account.shared_contacts_limit:
                raise ValidationError(
                    self.env._(
                        "%(account)s may share at most %(limit)s contacts in its "
                        "voice directory: remove one, or raise its shared-contacts "
                        "limit.",
                        account=account.display_name,
                        limit=account.shared_contacts_limit,
                    )
                )

    def _limit_ratios(self):
        """{limit key: usage / limit} of the counted limits that apply."""
        self.ensure_one()
        ratios = {}
        for key in COUNTED_LIMITS:
            kinds, _maximum = LIMITS[key]
            limit = self[f"{key}_limit"]
            if self.kind in kinds and limit:
                ratios[key] = self[f"{key}_usage"] / limit
        return ratios

    def _compute_limit_alert(self):
        for account in self:
            account.limit_alert = any(
                ratio >= ALERT_RATIO for ratio in account._limit_ratios().values()
            )

    def _search_limit_alert(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # Usage lives in other tables (faxes, shared contacts): read once, sudo
        # because counting them needs no right on them.
        accounts_sudo = self.sudo().search(
            ["|", ("faxes_limit", ">", 0), ("shared_contacts_limit", ">", 0)]
        )
        # Counted now, not as cached earlier in the transaction.
        accounts_sudo.invalidate_recordset(
            ["shared_contacts_usage", "faxes_usage", "limit_alert"]
        )
        alerting = accounts_sudo.filtered("limit_alert").ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", alerting)]

    @api.constrains(
        *(f"{key}_limit_custom" for key in LIMITS),
        *(f"{key}_limit_override" for key in LIMITS),
        "kind",
    )
    def _check_limits(self):
        for account in self:
            for key, (kinds, maximum) in LIMITS.items():
                if account.kind not in kinds or not account[f"{key}_limit_override"]:
                    continue
                value = account[f"{key}_limit_custom"]
                if value < 1 or (maximum and value > maximum):
                    raise ValidationError(account._limit_range_message(key, maximum))

    def _limit_range_message(self, key, maximum):
        label = self._fields[f"{key}_limit"].get_description(self.env)["string"]
        if maximum:
            return self.env._(
                "%(limit)s of %(account)s must be between 1 and %(maximum)s.",
                limit=label,
                account=self.display_name,
                maximum=maximum,
            )
        return self.env._(
            "%(limit)s of %(account)s must be at least 1.",
            limit=label,
            account=self.display_name,
        )

    @api.onchange(*(f"{key}_limit_override" for key in LIMITS))
    def _onchange_limit_override(self):
        # Overriding starts from the default the account followed.
        for key in LIMITS:
            if self[f"{key}_limit_override"] and not self[f"{key}_limit_custom"]:
                self[f"{key}_limit_custom"] = self.company_id[
                    f"comms_default_{key}_limit"
                ]

    def action_reset_limit(self):
        """Reset to default: the limit named by the button's context follows the
        reseller's default again."""
        key = self.env.context.get("comms_limit")
        if key not in LIMITS:
            raise UserError(self.env._("Choose the limit to reset."))
        return self.write({f"{key}_limit_override": False, f"{key}_limit_custom": 0})

    def write(self, vals):
        res = super().write(vals)
        if {"faxes_limit_override", "faxes_limit_custom"} & vals.keys():
            self._enforce_fax_document_limit()
        return res

    def _enforce_fax_document_limit(self):
        # The fax lines are the shared inbox's records; the account's limit applies
        # to them whoever lowered it.
        lines_sudo = (
            self.env["comms.fax.line"]
            .sudo()
            .search([("comms_account_id", "in", self.ids)])
        )
        lines_sudo.flush_recordset(["document_limit"])
        lines_sudo._enforce_document_limit()

    # Voicemail transcription, caller ID, URLs

    @api.constrains("voicemail_transcription", "myscribbit_email")
    def _check_myscribbit_email(self):
        for account in self.filtered(
            lambda a: a.voicemail_transcription == "myscribbit"
        ):
            if not single_email_re.match(account.myscribbit_email or ""):
                raise ValidationError(
                    self.env._(
                        "MyScribbit transcribes the voicemails of %(account)s: enter "
                        "the MyScribbit email address.",
                        account=account.display_name,
                    )
                )

    @api.constrains("caller_id_number_id")
    def _check_caller_id_number(self):
        for account in self.filtered("caller_id_number_id"):
            if account.caller_id_number_id.account_id != account:
                raise ValidationError(
                    self.env._(
                        "The caller ID of %(account)s must be one of its numbers, "
                        "not %(number)s.",
                        account=account.display_name,
                        number=account.caller_id_number_id.name,
                    )
                )

    @api.constrains(*URL_FIELDS)
    def _check_urls(self):
        for account in self:
            for fname in URL_FIELDS:
                url = account[fname]
                if url and not self._is_web_url(url):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a web address starting with http:// "
                            "or https://, not %(url)s.",
                            field=self._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            url=url,
                        )
                    )

    @api.model
    def _is_web_url(self, url):
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and bool(parts.hostname)

    # Secrets: set, never read back

    def _compute_pin_new(self):
        self.pin_new = False
        self.pin_confirm = False

    def _inverse_pin(self):
        for account in self:
            if not (account.pin_new or account.pin_confirm):
                continue
            account._set_pin(account.pin_new or "", account.pin_confirm or "")

    def _set_pin(self, pin, confirmation):
        self.ensure_one()
        if self.kind != "professional":
            raise UserError(self.env._("Only a professional account has a user PIN."))
        if pin != confirmation:
            raise UserError(self.env._("The two PINs differ: type the same PIN twice."))
        low, high = PIN_LENGTHS
        if not (pin.isdigit() and low <= len(pin) <= high):
            raise UserError(
                self.env._("A PIN is %(low)s to %(high)s digits.", low=low, high=high)
            )
        # Hashed as res.users hashes passwords; only the superuser writes it.
        crypt = self.env["res.users"]._crypt_context()
        self.sudo().pin_hash = crypt.hash(pin)

    def _check_pin(self, pin):
        """Whether `pin` is the account's PIN."""
        self.ensure_one()
        pin_hash = self.sudo().pin_hash
        if not (pin and pin_hash):
            return False
        return self.env["res.users"]._crypt_context().verify(pin, pin_hash)

    def _compute_sip_password_new(self):
        self.sip_password_new = False

    def _inverse_sip_password_new(self):
        for account in self.filtered("sip_password_new"):
            # The reseller may set the password the system uses, never read it.
            account.sudo().sip_password = account.sip_password_new

    @api.depends("sip_password", "provisioning_code", "pin_hash")
    def _compute_secrets_set(self):
        for account in self:
            account.sip_password_set = bool(account.sip_password)
            account.provisioning_code_set = bool(account.provisioning_code)
            account.pin_set = bool(account.pin_hash)

    def action_generate_provisioning_code(self):
        """A new security code for the IP phones, shown this once."""
        self.ensure_one()
        self.check_access("write")
        code = "".join(
            secrets.choice(PROVISIONING_ALPHABET)
            for _i in range(PROVISIONING_CODE_LENGTH)
        )
        # Administrators only may read the stored code (see provisioning_code).
        self.sudo().provisioning_code = code
        self.message_post(
            body=self.env._("A new provisioning security code was generated."),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Provisioning Security Code"),
            "res_model": "comms.account.provisioning.code",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_code": code,
                "default_ftp_url": self.company_id.comms_provisioning_ftp_url,
                "default_login": self.can,
            },
        }

    # Portal restrictions (7)

    def _portal_can_edit(self):
        """Whether the account's user may change anything of it on the portal."""
        self.ensure_one()
        if self.billing_status == "unsubscribed":
            return False
        return not (self.kind == "professional" and self.managed_by_admin)

    def _portal_can_manage_users(self):
        self.ensure_one()
        return (
            super()._portal_can_manage_users()
            and self._portal_can_edit()
            and not (self.kind == "company" and self.forbid_user_management)
        )

    def _portal_user_management_refusal(self):
        """Why the portal refuses to add or edit this account's users."""
        self.ensure_one()
        if self.kind == "professional" and self.managed_by_admin:
            return self.env._(
                "Your account is managed by your provider: ask them for any change."
            )
        if self.kind == "company" and self.forbid_user_management:
            return self.env._(
                "User management is turned off for your account: ask your provider "
                "to add or change users."
            )
        return self.env._("This account can no longer be changed.")

    def _portal_set_pin(self, pin, confirmation):
        """The professional changes their PIN on the portal, unless the reseller
        manages the account."""
        self.ensure_one()
        if self.kind != "professional":
            raise AccessError(self.env._("Only a professional account has a user PIN."))
        if not self._portal_can_edit():
            raise AccessError(self._portal_user_management_refusal())
        self._set_pin(pin, confirmation)
        self.message_post(
            body=self.env._("The PIN was changed from the portal."),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    def _portal_save_user(self, account_user_id, values):
        # The portal form is hidden, and a forged request is refused here too.
        self.ensure_one()
        if not self._portal_can_manage_users():
            raise AccessError(self._portal_user_management_refusal())
        return super()._portal_save_user(account_user_id, values)
