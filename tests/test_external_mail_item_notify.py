"""Staff clicking Notify the client several times at once on a running server:
one email."""

import uuid
from concurrent.futures import ThreadPoolExecutor


def test_double_click_on_notify_sends_one_email(server_url, rpc):
    client = rpc(
        "res.partner",
        "create",
        {"name": "Gamma Imports", "email": f"gamma-{uuid.uuid4().hex[:8]}@example.com"},
    )
    item = rpc(
        "comms.mail.item", "create", {"partner_id": client, "sender_name": "Tax office"}
    )

    def click(_index):
        # A connection per click, as per browser tab: XML-RPC proxies are not
        # thread-safe.
        staff = type(rpc)(server_url, rpc.database)
        return staff("comms.mail.item", "action_notify_client", [item])

    with ThreadPoolExecutor(max_workers=3) as pool:
        feedback = list(pool.map(click, range(3)))
    notifications = rpc(
        "mail.message",
        "search_count",
        [
            ("model", "=", "comms.mail.item"),
            ("res_id", "=", item),
            ("message_type", "=", "comment"),
        ],
    )
    assert notifications == 1
    # Every click answers: one sent the email, the others say they sent nothing.
    assert sorted(action["params"]["type"] for action in feedback) == [
        "success",
        "warning",
        "warning",
    ]
