from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.thread import ThreadController


class CommsThreadController(ThreadController):
    @http.route()
    def mail_thread_messages(self, thread_model, thread_id, **kwargs):
        result = super().mail_thread_messages(thread_model, thread_id, **kwargs)
        opening = not any(kwargs.get(key) for key in ("search_term", "before"))
        if thread_model == "comms.conversation" and opening:
            # The chatter loads the latest messages: the member has seen them.
            conversation = request.env[thread_model].browse(int(thread_id)).exists()
            conversation._filtered_access("read")._mark_seen()
        return result
