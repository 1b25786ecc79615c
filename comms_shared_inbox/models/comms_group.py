import phonenumbers

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import normalize_phone


class CommsGroup(models.Model):
    """A group/location: one SMS number, one shared email address, one fax slot."""

    _name = "comms.group"
    _description = "Shared inbox group"
    _inherit = ["mail.thread", "mail.alias.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_ids = fields.Many2many(
        "res.users",
        "comms_group_member_rel",
        "group_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
        help="Members see and handle every conversation of the group.",
    )
    manager_ids = fields.Many2many(
        "res.users",
        "comms_group_manager_rel",
        "group_id",
        "user_id",
        string="Managers",
        domain=[("share", "=", False)],
        help="Managers configure the group and see its reports.",
    )
    sms_number = fields.Char(
        string="SMS number",
        tracking=True,
        copy=False,
        help="The group's one text number, stored in international (E.164) format.",
    )
    return_to_inbox_minutes = fields.Integer(
        string="Return to inbox after (minutes)",
        help="A claimed conversation with no reply within this delay goes back to "
        "the inbox. 0 turns it off; otherwise between 5 and 60 minutes.",
    )
    autoreply_period_hours = fields.Integer(
        string="Auto-reply at most every (hours)",
        default=24,
        help="A conversation gets at most one auto-reply per period, so that two "
        "auto-responders cannot answer each other forever.",
    )
    autoreply_received_email = fields.Boolean(string="Email: message received")
    autoreply_received_email_template_id = fields.Many2one(
        "mail.template",
        string="Received email template",
        domain=[("model", "=", "comms.conversation")],
        default=lambda self: self.env.ref(
            "comms_shared_inbox.mail_template_autoreply_received", False
        ),
    )
    autoreply_received_sms = fields.Boolean(string="SMS: message received")
    autoreply_received_sms_template_id = fields.Many2one(
        "sms.template",
        string="Received SMS template",
        domain=[("model", "=", "comms.conversation")],
        default=lambda self: self.env.ref(
            "comms_shared_inbox.sms_template_autoreply_received", False
        ),
    )
    autoreply_claimed_email = fields.Boolean(string="Email: message claimed")
    autoreply_claimed_email_template_id = fields.Many2one(
        "mail.template",
        string="Claimed email template",
        domain=[("model", "=", "comms.conversation")],
        default=lambda self: self.env.ref(
            "comms_shared_inbox.mail_template_autoreply_claimed", False
        ),
    )
    autoreply_claimed_sms = fields.Boolean(string="SMS: message claimed")
    autoreply_claimed_sms_template_id = fields.Many2one(
        "sms.template",
        string="Claimed SMS template",
        domain=[("model", "=", "comms.conversation")],
        default=lambda self: self.env.ref(
            "comms_shared_inbox.sms_template_autoreply_claimed", False
        ),
    )
    conversation_ids = fields.One2many("comms.conversation", "group_id")
    new_count = fields.Integer(compute="_compute_counters")
    acknowledged_count = fields.Integer(compute="_compute_counters")
    claimed_count = fields.Integer(compute="_compute_counters")
    my_claimed_count = fields.Integer(compute="_compute_counters")

    _sql_constraints = [
        (
            "sms_number_unique",
            "UNIQUE(sms_number)",
            "This SMS number already belongs to another group: a number reaches one "
            "group only.",
        ),
    ]

    @api.depends_context("uid")
    def _compute_counters(self):
        counts = dict.fromkeys(self.ids, None)
        for group, state, user, count in self.env["comms.conversation"]._read_group(
            [
                ("group_id", "in", self.ids),
                ("state", "in", ("new", "acknowledged", "claimed")),
            ],
            ["group_id", "state", "user_id"],
            ["__count"],
        ):
            entry = counts[group.id] = counts[group.id] or {
                "new": 0,
                "acknowledged": 0,
                "claimed": 0,
                "mine": 0,
            }
            entry[state] += count
            if state == "claimed" and user == self.env.user:
                entry["mine"] += count
        for group in self:
            entry = counts.get(group.id) or {}
            group.new_count = entry.get("new", 0)
            group.acknowledged_count = entry.get("acknowledged", 0)
            group.claimed_count = entry.get("claimed", 0)
            group.my_claimed_count = entry.get("mine", 0)

    # ------------------------------------------------------------------
    # Number and address: exactly one of each
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_single_alias_vals(vals)
            self._normalize_sms_number_vals(vals)
        groups = super().create(vals_list)
        groups._add_managers_to_members()
        return groups

    def write(self, vals):
        self._check_single_alias_vals(vals)
        self._normalize_sms_number_vals(vals)
        result = super().write(vals)
        if "manager_ids" in vals:
            self._add_managers_to_members()
        return result

    def _add_managers_to_members(self):
        for group in self:
            missing = group.manager_ids - group.user_ids
            if missing:
                group.user_ids = [fields.Command.link(u.id) for u in missing]

    def _normalize_sms_number_vals(self, vals):
        if vals.get("sms_number"):
            company = self.env["res.company"].browse(vals.get("company_id")) or (
                self[:1].company_id or self.env.company
            )
            vals["sms_number"] = self._normalize_sms_number(vals["sms_number"], company)
            self._check_sms_number_free(vals["sms_number"])

    def _check_sms_number_free(self, number):
        # Before writing: the SQL constraint behind it gives no readable message.
        other = (
            self.sudo()
            .with_context(active_test=False)
            .search([("sms_number", "=", number), ("id", "not in", self.ids)], limit=1)
        )
        if other:
            raise ValidationError(
                _(
                    "%(number)s already belongs to the group %(group)s: a number "
                    "reaches one group only.",
                    number=number,
                    group=other.name,
                )
            )

    @api.model
    def _normalize_sms_number(self, number, company):
        region = company.country_id.code or None
        if len(list(phonenumbers.PhoneNumberMatcher(number, region or "US"))) > 1:
            raise ValidationError(
                _(
                    "A group has exactly one SMS number. To use another number, "
                    "create another group."
                )
            )
        normalized = normalize_phone(number, region)
        if not normalized:
            raise ValidationError(
                _(
                    "“%(number)s” is not a valid phone number. Enter it in "
                    "international format, e.g. +33612345678.",
                    number=number,
                )
            )
        return normalized

    @api.model
    def _check_single_alias_vals(self, vals):
        # Checked before mail.alias sanitizes "orders@x, sales@x" into one odd name.
        alias = vals.get("alias_name") or ""
        if alias.count("@") > 1 or any(sep in alias for sep in ",;"):
            raise ValidationError(
                _(
                    "A group has exactly one shared email address. To use another "
                    "address, create another group."
                )
            )

    @api.constrains("return_to_inbox_minutes")
    def _check_return_to_inbox_minutes(self):
        for group in self:
            minutes = group.return_to_inbox_minutes
            if minutes and not 5 <= minutes <= 60:
                raise ValidationError(
                    _("Return to inbox takes between 5 and 60 minutes, or 0 for off.")
                )

    @api.constrains("autoreply_period_hours")
    def _check_autoreply_period(self):
        if any(group.autoreply_period_hours < 1 for group in self):
            raise ValidationError(_("The auto-reply period is at least one hour."))

    @api.model
    def _find_by_sms_number(self, number):
        normalized = normalize_phone(number)
        if not normalized:
            return self.browse()
        return self.search([("sms_number", "=", normalized)], limit=1)

    def _receive_sms(self, sender, body, provider_ref):
        return self._receive_by_phone("sms", sender, body, provider_ref)

    def _receive_by_phone(
        self, channel, sender, body, provider_ref, log_values=None, **post_values
    ):
        """Post a message that arrived from phone number `sender` on `channel` (sms or
        fax) into that customer's conversation of this group, and return its
        comms.message. Idempotent on the provider's id: a repeated delivery returns
        the message already logged. `post_values` go to message_post (attachments).
        """
        self.ensure_one()
        number = normalize_phone(sender, self.company_id.country_id.code or None)
        if not number:
            raise ValidationError(
                _("“%(number)s” is not a valid phone number.", number=sender)
            )
        conversations = self.env["comms.conversation"]
        conversations._lock_customer(self, number)
        logged = self.env["comms.message"].search(
            [("channel", "=", channel), ("provider_ref", "=", provider_ref)], limit=1
        )
        if logged:
            return logged
        partner = conversations._find_or_create_partner_by_phone(self, number)
        conversation = conversations._get_for_customer(self, partner)
        message = conversation.with_context(
            comms_channel=channel,
            comms_direction="in",
            comms_message_values={
                "provider_ref": provider_ref,
                "sender": number,
                **(log_values or {}),
            },
        ).message_post(
            body=body or "",
            author_id=partner.id,
            message_type="sms" if channel == "sms" else "comment",
            subtype_xmlid="mail.mt_comment",
            **post_values,
        )
        return self.env["comms.message"].search([("mail_message_id", "=", message.id)])

    # ------------------------------------------------------------------
    # Mail alias: incoming mail opens conversations of this group
    # ------------------------------------------------------------------

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("comms.conversation").id
        values["alias_contact"] = "everyone"
        if self.id:
            values["alias_defaults"] = repr({"group_id": self.id})
        return values

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _action_inbox(self, search_default):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_conversation_action"
        )
        action["display_name"] = self.name
        action["domain"] = [("group_id", "=", self.id)]
        action["context"] = {"default_group_id": self.id, search_default: 1}
        return action

    def action_open_inbox(self):
        return self._action_inbox("search_default_inbox")

    def action_open_new(self):
        return self._action_inbox("search_default_new")

    def action_open_claimed(self):
        return self._action_inbox("search_default_claimed")

    def action_open_mine(self):
        return self._action_inbox("search_default_mine")
