from . import portal
from . import account_request
