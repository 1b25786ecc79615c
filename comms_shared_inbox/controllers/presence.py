from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.http import request

PRESENCE_STATES = ("viewing", "typing", "left")


class CommsPresence(http.Controller):
    @http.route("/comms_shared_inbox/presence", type="json", auth="user")
    def comms_presence(self, conversation_id, state):
        """Announce that the user views, types in or left a conversation; answer
        who else is there now."""
        if state not in PRESENCE_STATES:
            raise BadRequest()
        conversation = (
            request.env["comms.conversation"].browse(int(conversation_id)).exists()
        )
        if not conversation:
            raise NotFound()
        conversation.check_access("read")
        return conversation._presence_announce(state)
