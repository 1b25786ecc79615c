"""Twilio delivering texts to a running server: duplicates and concurrency."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from odoo.addons.comms_shared_inbox.controllers.sms_webhook import twilio_signature

TOKEN = "f" * 32
PATH = "/comms/sms/twilio/inbound"


def _setup_group(rpc, number):
    company_id = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    rpc("res.company", "write", [company_id], {"sms_twilio_auth_token": TOKEN})
    return rpc(
        "comms.group", "create", {"name": f"External {number}", "sms_number": number}
    )


def _deliver(url, sid, sender, to, body="Hello"):
    params = {
        "MessageSid": sid,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
    }
    headers = {"X-Twilio-Signature": twilio_signature(TOKEN, url + PATH, params)}
    return requests.post(url + PATH, data=params, headers=headers, timeout=60)


def test_concurrent_texts_from_a_new_customer_make_one_conversation(server_url, rpc):
    group_id = _setup_group(rpc, "+33472000101")
    sender = "+33698765401"
    sids = [f"SM{uuid.uuid4().hex}" for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(
            pool.map(
                lambda sid: _deliver(
                    server_url, sid, sender, "+33472000101"
                ).status_code,
                sids,
            )
        )
    assert statuses == [200] * 10
    partners = rpc("res.partner", "search", [("phone_sanitized", "=", sender)])
    assert len(partners) == 1
    conversations = rpc(
        "comms.conversation",
        "search_read",
        [("group_id", "=", group_id)],
        ["partner_id"],
    )
    assert len(conversations) == 1
    assert conversations[0]["partner_id"][0] == partners[0]
    logged = rpc(
        "comms.message", "search_read", [("group_id", "=", group_id)], ["provider_ref"]
    )
    assert sorted(m["provider_ref"] for m in logged) == sorted(sids)


def test_concurrent_duplicate_deliveries_make_one_message(server_url, rpc):
    group_id = _setup_group(rpc, "+33472000102")
    sid = f"SM{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(
            pool.map(
                lambda _i: _deliver(
                    server_url, sid, "+33698765402", "+33472000102"
                ).status_code,
                range(5),
            )
        )
    assert statuses == [200] * 5
    assert rpc("comms.message", "search_count", [("group_id", "=", group_id)]) == 1


def test_forged_delivery_is_refused(server_url, rpc):
    group_id = _setup_group(rpc, "+33472000103")
    params = {
        "MessageSid": "SMforged",
        "From": "+33698765403",
        "To": "+33472000103",
        "Body": "x",
    }
    response = requests.post(
        server_url + PATH,
        data=params,
        headers={"X-Twilio-Signature": "AAAA"},
        timeout=30,
    )
    assert response.status_code == 403
    assert rpc("comms.message", "search_count", [("group_id", "=", group_id)]) == 0
