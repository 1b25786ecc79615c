from . import portal
from . import account_request
from . import portal_settings
