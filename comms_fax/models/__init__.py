from . import comms_fax_provider
from . import comms_fax_event
from . import comms_fax_line
from . import comms_fax
from . import comms_fax_port_request
from . import comms_group
from . import comms_conversation
