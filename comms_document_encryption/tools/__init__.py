from . import keyring
