import re

from odoo import models

PRESENCE_CHANNEL = re.compile(r"^comms_presence:(\d+)$")


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """A member's browser listens to who views the conversations it may read."""
        channels = list(channels)
        if self.env.uid and not self.env.user._is_public():
            for channel in list(channels):
                match = isinstance(channel, str) and PRESENCE_CHANNEL.match(channel)
                if not match:
                    continue
                conversation = self.env["comms.conversation"].browse(int(match[1]))
                if conversation.exists() and conversation._filtered_access("read"):
                    channels.append(conversation)
        return super()._build_bus_channel_list(channels)
