from odoo.http import request


def signed_link_record(model, record_id, expires, token, template, refusals):
    """(record sudo, None) when the signed link to `record_id` of `model` is
    valid, else (None, `template` rendered with the refusal for its status:
    `refusals` maps 'expired' and 'used' to their messages)."""
    # The link works without logging in: its signature is the access check.
    record_sudo = request.env[model].sudo().browse(record_id).exists()
    status = record_sudo._check_link(expires, token) if record_sudo else "invalid"
    if status == "valid":
        return record_sudo, None
    refusal = refusals.get(status) or request.env._("This link is not valid.")
    page = request.render(
        template, {"refusal": refusal, "link_error": status}, status=403
    )
    return None, page
