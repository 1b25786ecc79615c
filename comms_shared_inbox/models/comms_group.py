import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_split

from ..tools import is_withheld_caller_id


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
    autoreply_ids = fields.One2many(
        "comms.autoreply",
        "group_id",
        string="Auto-replies",
        context={"active_test": False},
    )
    keep_original_email = fields.Boolean(
        string="Keep every original email",
        help="Attach the original message (.eml) to every email received. Originals "
        "of malformed emails, and of Outlook's own formats, are always kept.",
    )
    conversation_ids = fields.One2many("comms.conversation", "group_id")
    new_count = fields.Integer(compute="_compute_counters")
    acknowledged_count = fields.Integer(compute="_compute_counters")
    claimed_count = fields.Integer(compute="_compute_counters")
    my_claimed_count = fields.Integer(compute="_compute_counters")
    unread_count = fields.Integer(compute="_compute_unread_count")
    sms_number_warning = fields.Char(compute="_compute_sms_number_warning")

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

    @api.depends_context("uid")
    def _compute_unread_count(self):
        counts = dict(
            self.env["comms.conversation"]._read_group(
                [
                    ("group_id", "in", self.ids),
                    ("state", "in", ("new", "acknowledged", "claimed")),
                    ("is_unread", "=", True),
                ],
                ["group_id"],
                ["__count"],
            )
        )
        for group in self:
            group.unread_count = counts.get(group, 0)

    @api.depends("sms_number", "company_id.sms_provider")
    def _compute_sms_number_warning(self):
        for group in self:
            provider = group.company_id.sms_provider
            if group.sms_number and provider != "twilio":
                # Only Twilio sends from a number of ours; Odoo's IAP picks its own.
                group.sms_number_warning = self.env._(
                    "Texts from %(number)s reach customers only through Twilio: "
                    "%(company)s sends texts with another service, which sends "
                    "from its own number. Choose Twilio as SMS provider in the "
                    "Settings.",
                    number=group.sms_number,
                    company=group.company_id.name,
                )
            else:
                group.sms_number_warning = False

    # ------------------------------------------------------------------
    # Number and address: exactly one of each
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_single_alias_vals(vals)
            self._normalize_sms_number_vals(vals)
            vals.setdefault(
                "autoreply_ids",
                [
                    fields.Command.create(values)
                    for values in self.env["comms.autoreply"]._default_values()
                ],
            )
        groups = super().create(vals_list)
        groups._add_managers_to_members()
        self._memberships_changed()
        return groups

    def write(self, vals):
        self._check_single_alias_vals(vals)
        self._normalize_sms_number_vals(vals)
        result = super().write(vals)
        if "manager_ids" in vals:
            self._add_managers_to_members()
        if {"user_ids", "manager_ids"} & set(vals):
            self._memberships_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self._memberships_changed()
        return result

    def _memberships_changed(self):
        """The record rules read each user's groups (res.users.comms_group_ids):
        recompute them, and drop the rule domains Odoo cached with the old ones."""
        self.env["res.users"].invalidate_model(["comms_group_ids"])
        self.env.registry.clear_cache()

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
        # sudo: the number is taken also by archived groups and other companies'
        other = (
            self.sudo()
            .with_context(active_test=False)
            .search([("sms_number", "=", number), ("id", "not in", self.ids)], limit=1)
        )
        if other:
            raise ValidationError(
                self.env._(
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
                self.env._(
                    "A group has exactly one SMS number. To use another number, "
                    "create another group."
                )
            )
        return company._comms_check_phone(number)

    @api.model
    def _check_single_alias_vals(self, vals):
        # Checked before mail.alias sanitizes "orders@x, sales@x" into one odd name.
        alias = vals.get("alias_name") or ""
        if alias.count("@") > 1 or any(sep in alias for sep in ",;"):
            raise ValidationError(
                self.env._(
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
                    self.env._(
                        "Return to inbox takes between 5 and 60 minutes, or 0 for off."
                    )
                )

    @api.constrains("autoreply_period_hours")
    def _check_autoreply_period(self):
        if any(group.autoreply_period_hours < 1 for group in self):
            raise ValidationError(
                self.env._("The auto-reply period is at least one hour.")
            )

    def _autoreply_for(self, event, channel):
        """The group's auto-reply that is on for `event` on `channel`, if any."""
        self.ensure_one()
        return self.autoreply_ids.filtered(
            lambda a: a.active and a.event == event and a.channel == channel
        )[:1]

    @api.model
    def _find_by_sms_number(self, number):
        normalized = self.env["res.company"]._comms_format_phone(number)
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
        comms.message. A withheld caller ID lands in the Unknown sender
        conversation. Idempotent on the provider's id: a repeated delivery returns
        the message already logged. `post_values` go to message_post (attachments).
        """
        self.ensure_one()
        conversations = self.env["comms.conversation"]
        if is_withheld_caller_id(sender):
            number = False
            conversations._lock_customer(self, "withheld")
            partner = self.env.ref("comms_shared_inbox.partner_unknown_sender")
        else:
            number = self.company_id._comms_check_phone(sender)
            conversations._lock_customer(self, number)
            partner = self.env["res.partner"]
        logged = self.env["comms.message"].search(
            [("channel", "=", channel), ("provider_ref", "=", provider_ref)], limit=1
        )
        if logged:
            return logged
        partner = partner or conversations._find_or_create_partner_by_phone(
            self, number, channel
        )
        conversation = conversations._get_for_customer(self, partner)
        return conversation._post_and_log(
            channel,
            "in",
            {"provider_ref": provider_ref, "sender": number, **(log_values or {})},
            body=body or "",
            author_id=partner.id,
            message_type="sms" if channel == "sms" else "comment",
            subtype_xmlid="mail.mt_comment",
            **post_values,
        )

    @api.model
    def _find_by_recipients(self, message_dict):
        """The groups whose shared address is among the recipients of a parsed
        email (Delivered-To, To, Cc, Resent-To/Cc, as Odoo routes it)."""
        addresses = [
            address.lower() for address in email_split(message_dict.get("recipients"))
        ]
        if not addresses:
            return self.browse()
        return self.search(
            [
                "|",
                ("alias_id.alias_full_name", "in", addresses),
                "&",
                ("alias_id.alias_incoming_local", "=", True),
                ("alias_name", "in", [a.split("@", 1)[0] for a in addresses]),
            ]
        )

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

    def action_open_acknowledged(self):
        return self._action_inbox("search_default_acknowledged")

    def action_open_unread(self):
        return self._action_inbox("search_default_unread")

    def action_open_claimed(self):
        return self._action_inbox("search_default_claimed")

    def action_open_mine(self):
        return self._action_inbox("search_default_mine")
