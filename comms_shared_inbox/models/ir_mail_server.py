import logging

import dns.exception

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, formataddr

from ..tools import dns_check
from ..tools.smtp_hints import (
    HINT_IMPLICIT_TLS,
    hint_for_exception,
    smtp_reply_text,
)

_logger = logging.getLogger(__name__)

# Changing any of these means the last successful test no longer proves anything.
CONNECTION_FIELDS = {
    "comms_email",
    "from_filter",
    "smtp_authentication",
    "smtp_encryption",
    "smtp_host",
    "smtp_pass",
    "smtp_port",
    "smtp_ssl_certificate",
    "smtp_ssl_private_key",
    "smtp_user",
}
# Odoo's sign-in methods (google_gmail, microsoft_outlook) and where each keeps the
# token that proves the address was signed in.
OAUTH_REFRESH_TOKENS = {
    "gmail": "google_gmail_refresh_token",
    "outlook": "microsoft_outlook_refresh_token",
}
SECRET_FIELDS = (
    "smtp_user",
    "smtp_pass",
    "smtp_ssl_certificate",
    "smtp_ssl_private_key",
)


class IrMailServer(models.Model):
    """An outgoing address is an outgoing mail server whose from_filter is exactly one
    address, so that Odoo's own sending (server per mail.mail, batching by server,
    _find_mail_server's exact match) carries it without a second SMTP client."""

    _inherit = "ir.mail_server"

    comms_is_address = fields.Boolean("Outgoing address", index=True, copy=False)
    comms_email = fields.Char("Address", copy=False, index=True)
    comms_company_id = fields.Many2one(
        "res.company", "Company", default=lambda self: self.env.company
    )
    comms_owner_id = fields.Many2one(
        "res.users",
        "Personal address of",
        index=True,
        ondelete="cascade",
        help="A personal address is visible to and usable by this user only.",
    )
    comms_user_ids = fields.Many2many(
        "res.users",
        "comms_address_user_rel",
        "server_id",
        "user_id",
        "Users",
        help="With no users and no groups, every internal user of the company may "
        "send from this address.",
    )
    comms_group_ids = fields.Many2many(
        "res.groups", "comms_address_group_rel", "server_id", "group_id", "User groups"
    )
    comms_project_ids = fields.Many2many(
        "project.project",
        "comms_address_project_rel",
        "server_id",
        "project_id",
        "Projects",
        help="When set, the address is offered on these projects' tasks only and "
        "refused anywhere else.",
    )
    comms_preset = fields.Char("Service", readonly=True)
    comms_test_state = fields.Selection(
        [("untested", "Untested"), ("ok", "Working"), ("failed", "Failing")],
        "Test result",
        default="untested",
        required=True,
        copy=False,
    )
    comms_test_date = fields.Datetime("Last test", copy=False, readonly=True)
    comms_test_message = fields.Text("Test message", copy=False, readonly=True)
    comms_dns_report = fields.Text("DNS check", copy=False, readonly=True)

    @api.constrains("comms_is_address", "comms_email", "from_filter")
    def _check_comms_email(self):
        for server in self.filtered("comms_is_address"):
            email = email_normalize(server.comms_email or "", strict=True)
            if not email or email != server.comms_email:
                raise ValidationError(
                    self.env._("%s is not a valid email address.", server.comms_email)
                )
            if server.from_filter != email:
                raise ValidationError(
                    self.env._(
                        "An outgoing address sends from exactly one address: its "
                        "FROM filter must be %s.",
                        email,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        servers = super().create([self._comms_sync_from_filter(v) for v in vals_list])
        if servers.filtered("comms_is_address"):
            self.env.registry.clear_cache()  # _comms_any_address
        return servers

    def write(self, vals):
        vals = self._comms_sync_from_filter(vals)
        addresses = self.filtered("comms_is_address")
        result = super().write(vals)
        if CONNECTION_FIELDS & set(vals) and "comms_test_state" not in vals:
            addresses.write({"comms_test_state": "untested"})
        if "comms_is_address" in vals:
            self.env.registry.clear_cache()  # _comms_any_address
        return result

    def unlink(self):
        had_addresses = bool(self.filtered("comms_is_address"))
        result = super().unlink()
        if had_addresses:
            self.env.registry.clear_cache()  # _comms_any_address
        return result

    @api.model
    @tools.ormcache()
    def _comms_any_address(self):
        """Whether any outgoing address exists: mail sending and the composer skip
        all of their work without one (most databases), at no query."""
        # sudo: a flag about admin-only records, archived ones included
        return bool(
            self.sudo()
            .with_context(active_test=False)
            .search_count([("comms_is_address", "=", True)], limit=1)
        )

    @api.model
    def _comms_sync_from_filter(self, vals):
        if vals.get("comms_email"):
            email = email_normalize(vals["comms_email"], strict=True)
            vals = dict(vals, comms_email=email or vals["comms_email"])
            vals["from_filter"] = email or vals["comms_email"]
        return vals

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self.env.su:
            return result
        # Administrators read company credentials; a personal address's only its owner.
        hidden = {
            server.id
            for server in self
            if server.comms_owner_id and server.comms_owner_id != self.env.user
        }
        for values in result:
            if values["id"] in hidden:
                values.update({name: False for name in SECRET_FIELDS if name in values})
        return result

    def _active_usages_compute(self):
        usages = super()._active_usages_compute()
        projects_sudo = (
            self.env["project.project"]
            .sudo()
            .search([("comms_outgoing_address_id", "in", self.ids)])
        )
        for project in projects_sudo:
            usages.setdefault(project.comms_outgoing_address_id.id, []).append(
                self.env._("%s (Project default address)", project.display_name)
            )
        by_email = {s.comms_email: s for s in self if s.comms_email}
        # alias_email is not stored: compare in Python over the (few) groups
        for group in (
            self.env["comms.group"].sudo().with_context(active_test=False).search([])
        ):
            server = by_email.get(email_normalize(group.alias_email or ""))
            if server:
                usages.setdefault(server.id, []).append(
                    self.env._("%s (Shared inbox group)", group.display_name)
                )
        return usages

    def _find_mail_server(self, email_from, mail_servers=None):
        """An address's server sends its own address only: Odoo's fallbacks (any
        server for the notification address, then the first server whatever its
        filter, rewriting the From) must never pick it for other mail."""
        if mail_servers is None:
            mail_servers = self.sudo().search([], order="sequence")
        addresses = mail_servers.filtered("comms_is_address")
        email = email_normalize(email_from or "")
        own = addresses.filtered(lambda a: a.active and a.comms_email == email)[:1]
        if own:
            return own, email_from
        return super()._find_mail_server(email_from, mail_servers - addresses)

    # Who may use an address, and where

    def _comms_formatted_from(self):
        self.ensure_one()
        return formataddr((self.name, self.comms_email))

    @api.model
    def _comms_project_of(self, model, res_id):
        if model == "project.project" and res_id:
            return self.env["project.project"].sudo().browse(res_id).exists()
        if model == "project.task" and res_id:
            return self.env["project.task"].sudo().browse(res_id).exists().project_id
        return self.env["project.project"]

    def _comms_usable_by(self, user):
        self.ensure_one()
        if not user._is_internal():
            return False
        if self.comms_owner_id:
            return self.comms_owner_id == user
        if self.comms_company_id and self.comms_company_id not in user.company_ids:
            return False
        if not (self.comms_user_ids or self.comms_group_ids):
            return True
        return user in self.comms_user_ids or bool(
            self.comms_group_ids & user.groups_id
        )

    def _comms_refusal(self, user, model, res_id, project=None):
        """Why `user` may not send from this address on this record (whose project
        the caller may already know), or None."""
        self.ensure_one()
        if user and not self._comms_usable_by(user):
            return self.env._("You may not send from %s.", self.comms_email)
        if project is None and self.comms_project_ids:
            project = self._comms_project_of(model, res_id)
        if self.comms_project_ids and not (project & self.comms_project_ids):
            return self.env._(
                "%(address)s is reserved for the projects %(projects)s and cannot "
                "send anything else.",
                address=self.comms_email,
                projects=", ".join(self.comms_project_ids.mapped("display_name")),
            )
        return None

    def _comms_check_usable(self, user, model, res_id):
        for address in self:
            refusal = address._comms_refusal(user, model, res_id)
            if refusal:
                raise AccessError(refusal)

    def _comms_wait_reason(self):
        """Why mail from this address has to wait, or None when it may leave."""
        self.ensure_one()
        if not self.active:
            return self.env._("%s is archived.", self.comms_email)
        if self.comms_test_state == "untested":
            return self.env._(
                "%s has not passed its connection test since its settings changed; "
                "the mail leaves once it does.",
                self.comms_email,
            )
        if self.comms_test_state == "failed":
            return self.env._(
                "%(address)s failed its last connection test; the mail leaves once it "
                "passes again. %(message)s",
                address=self.comms_email,
                message=self.comms_test_message or "",
            )
        return None

    @api.model
    def _comms_addresses_for(self, user, model, res_id):
        if not self._comms_any_address():
            return self.browse()
        # sudo: ir.mail_server is admin-only; the user's right is decided right below
        addresses_sudo = self.sudo().search([("comms_is_address", "=", True)])
        return addresses_sudo.filtered(
            lambda a: not a._comms_refusal(user, model, res_id)
        )

    @api.model
    def _comms_default_address(self, user, model, res_id):
        """(address, source) the order of issue 9 gives when nothing is chosen: the
        user's personal address, else the project's default, else nothing."""
        addresses = self._comms_addresses_for(user, model, res_id)
        if not addresses:
            return self.browse(), False
        personal = addresses.filtered(lambda a: a.comms_owner_id == user)[:1]
        if personal:
            return personal, "personal"
        project_default = self._comms_project_of(
            model, res_id
        ).comms_outgoing_address_id
        if project_default in addresses:
            return project_default, "project"
        return self.browse(), False

    # Tests

    def _comms_run_test(self):
        """Odoo's own connection test; records and returns (passed, message)."""
        self.ensure_one()
        try:
            self._comms_check_before_test()
            self.test_smtp_connection()
        except UserError as error:
            message = self._comms_error_message(error)
            self.sudo().write(  # sudo: users re-test their personal address
                {
                    "comms_test_state": "failed",
                    "comms_test_date": fields.Datetime.now(),
                    "comms_test_message": message,
                }
            )
            return False, message
        self._comms_detect_max_size()
        message = self.env._("Connection, sign-in and sender accepted.")
        self.sudo().write(  # sudo: users re-test their personal address
            {
                "comms_test_state": "ok",
                "comms_test_date": fields.Datetime.now(),
                "comms_test_message": message,
            }
        )
        return True, message

    def _comms_check_before_test(self):
        """Refuse at once what Odoo's test would only report after its 60 s timeout,
        or after asking Google / Microsoft for a token that cannot exist."""
        if self.smtp_port == 465 and self.smtp_encryption != "ssl":
            raise UserError(str(HINT_IMPLICIT_TLS))
        token_field = OAUTH_REFRESH_TOKENS.get(self.smtp_authentication)
        if token_field and not self.sudo()[token_field]:  # sudo: tokens are admin-only
            raise UserError(
                self.env._(
                    "Not signed in yet: use Sign in with Google or Microsoft on this "
                    "address first."
                )
            )

    def _comms_detect_max_size(self):
        """Keep the size the server advertises, so that Odoo sends larger record
        attachments as download links instead of having the server refuse them."""
        try:
            self.sudo().test_smtp_connection(autodetect_max_email_size=True)
        except UserError as error:
            _logger.info(
                "%s: no maximum size detected, Odoo's default applies (%s)",
                self.comms_email,
                error,
            )

    def _comms_error_message(self, error):
        """The server's own words, then a plain-language hint when one applies."""
        self.ensure_one()
        text = smtp_reply_text(error)
        hint = hint_for_exception(
            error, sender=self.comms_email, recipient=self._get_test_email_to()
        )
        if text != str(error):
            text = f"{error}\n{text}"
        return f"{text}\n\n{hint}" if hint else text

    @api.model
    def _cron_comms_test_addresses(self):
        """Re-test every address; tell the administrators about newly broken ones.
        Mail of a failing address waits in the queue (see mail.mail's guard)."""
        addresses = self.search([("comms_is_address", "=", True)])
        broken = self.browse()
        for address in addresses:
            was_working = address.comms_test_state == "ok"
            passed, _message = address._comms_run_test()
            if was_working and not passed:
                broken |= address
        broken._comms_notify_broken()

    def _comms_notify_broken(self):
        if not self:
            return
        administrators = self.env.ref("base.group_system").users.filtered(
            lambda u: u.active and u.email and not u.share
        )
        if not administrators:
            return
        template = self.env.ref(
            "comms_shared_inbox.mail_template_outgoing_address_broken"
        )
        for address in self:
            template.send_mail(
                address.id,
                email_values={
                    "recipient_ids": [fields.Command.set(administrators.partner_id.ids)]
                },
            )

    def action_comms_test(self):
        self._comms_check_manage()
        results = [server._comms_run_test() for server in self]
        failed = [message for passed, message in results if not passed]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if failed else "success",
                "sticky": bool(failed),
                "message": "\n".join(failed)
                or self.env._("Connection, sign-in and sender accepted."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_comms_check_dns(self):
        """SPF, DKIM and DMARC of the address's domain, with the record to add."""
        self._comms_check_manage()
        for server in self.sudo():  # sudo: owners check their personal address too
            domain = server.comms_email.rpartition("@")[2]
            try:
                results = dns_check.check_domain(
                    domain, server.smtp_host, server.comms_preset
                )
            except dns.exception.DNSException as error:
                server.comms_dns_report = self.env._("DNS lookup failed: %s", error)
                continue
            server.comms_dns_report = "\n".join(
                self._comms_dns_line(key.upper(), *result)
                for key, result in results.items()
            )
        return True

    @api.model
    def _comms_dns_line(self, check, passed, found, advice):
        if passed:
            return self.env._("%(check)s: OK (%(found)s)", check=check, found=found)
        if found:
            return self.env._(
                "%(check)s: does not cover this server (%(found)s). "
                "Publish: %(advice)s",
                check=check,
                found=found,
                advice=advice,
            )
        return self.env._(
            "%(check)s: missing. Publish: %(advice)s", check=check, advice=advice
        )

    def _comms_check_manage(self):
        """Administrators manage every address, users their personal ones."""
        if self.env.is_system():
            return
        for server in self:
            if not server.comms_is_address or server.comms_owner_id != self.env.user:
                raise AccessError(
                    self.env._("Only administrators manage company addresses.")
                )

    def action_comms_change_settings(self):
        self.ensure_one()
        self._comms_check_manage()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_outgoing_address_wizard_action"
        )
        action["context"] = {"default_address_id": self.id}
        return action

    def action_comms_remove_personal(self):
        self._comms_check_manage()
        # sudo: owners may remove their personal address without ir.mail_server rights
        self.sudo().unlink()
        return {"type": "ir.actions.act_window_close"}
