from . import comms_conversation_transfer
from . import comms_conversation_ignore
from . import comms_outgoing_address_wizard
from . import mail_compose_message
