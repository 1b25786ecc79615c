{
    "name": "Comms Document Encryption",
    "summary": "Faxes, scans and inbound mail documents encrypted at rest (AES-256)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/comms-suite/comms",
    "author": "Comms Suite",
    "license": "LGPL-3",
    "depends": ["base"],
    "external_dependencies": {"python": ["cryptography"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/comms_document_kind_views.xml",
        "views/comms_document_encryption_status_views.xml",
        "views/comms_document_encryption_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
}
