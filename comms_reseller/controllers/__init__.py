from . import portal
from . import account_request
from . import portal_settings
from . import unit_group_invitation
from . import unit_group_portal
