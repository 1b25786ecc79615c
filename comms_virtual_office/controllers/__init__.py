from . import portal
from . import scan_link
