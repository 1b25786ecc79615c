def post_init_hook(env):
    """Encrypt the documents that exist already, in the background."""
    env.ref("comms_document_encryption.ir_cron_comms_document_encrypt")._trigger()
