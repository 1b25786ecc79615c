from . import comms_conversation_transfer
from . import comms_conversation_ignore
