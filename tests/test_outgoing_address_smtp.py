"""Outgoing addresses against a running Odoo server and real SMTP servers on loopback:
Test and save, roles over RPC, what the SMTP servers receive, a server that is down."""

import time
import uuid
import xmlrpc.client

import pytest
from conftest import Rpc

from odoo.addons.comms_shared_inbox.tests.fake_smtp import FakeSmtp

PASSWORD = "pw-outgoing-1"  # noqa: S105


def _wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.fixture(scope="module")
def world(server_url, rpc):
    """Two brands, each with a project, a task, a customer and an SMTP server; a
    seller in the allowed group, a clerk outside it, a portal user."""
    tag = uuid.uuid4().hex[:8]
    database = rpc.database
    sales_group = rpc("res.groups", "create", {"name": f"Sales {tag}"})
    project_user = rpc(
        "ir.model.data", "check_object_reference", "project", "group_project_user"
    )[1]
    portal = rpc("ir.model.data", "check_object_reference", "base", "group_portal")[1]

    def user(login, groups):
        rpc(
            "res.users",
            "create",
            {
                "name": login.title(),
                "login": f"{login}-{tag}",
                "email": f"{login}-{tag}@example.com",
                "password": PASSWORD,
                "groups_id": [(6, 0, groups)],
            },
        )
        return Rpc(server_url, database, f"{login}-{tag}", PASSWORD)

    seller = user("seller", [project_user, sales_group])
    clerk = user("clerk", [project_user])
    portal_user = user("portal", [portal])
    customer = rpc(
        "res.partner",
        "create",
        {"name": "Garage Martin", "email": f"atelier-{tag}@garage.example.com"},
    )
    projects = [
        rpc("project.project", "create", {"name": f"Brand {b} {tag}"}) for b in "AB"
    ]
    tasks = [
        rpc("project.task", "create", {"name": "Order", "project_id": p})
        for p in projects
    ]
    emails = [f"support-{tag}@brand-a.example.com", f"orders-{tag}@brand-b.example.com"]
    servers = [FakeSmtp(users={email: "right"}).start() for email in emails]
    yield {
        "tag": tag,
        "sales_group": sales_group,
        "seller": seller,
        "clerk": clerk,
        "portal": portal_user,
        "customer": customer,
        "customer_email": f"atelier-{tag}@garage.example.com",
        "projects": projects,
        "tasks": tasks,
        "emails": emails,
        "smtp": servers,
    }
    for server in servers:
        server.stop()


def _add_address(rpc, email, port, password="right", **values):  # noqa: S107
    wizard = rpc(
        "comms.outgoing.address.wizard",
        "create",
        {
            "email": email,
            "personal": False,
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
            "smtp_user": email,
            "smtp_pass": password,
            **values,
        },
    )
    return rpc("comms.outgoing.address.wizard", "action_test_and_save", [wizard])


def _address_id(rpc, email):
    return rpc(
        "ir.mail_server",
        "search",
        [("comms_email", "=", email)],
        context={"active_test": False},
    )


def _send(user, task, customer, **values):
    """The chatter's full composer, as the web client drives it; returns the message."""
    composer = user(
        "mail.compose.message",
        "create",
        {
            "model": "project.task",
            "res_ids": str([task]),
            "composition_mode": "comment",
            "body": "<p>Your order ships Thursday.</p>",
            "partner_ids": [(6, 0, [customer])],
            **values,
        },
    )
    user("mail.compose.message", "action_send_mail", [composer])
    return user(
        "mail.message",
        "search",
        [("model", "=", "project.task"), ("res_id", "=", task)],
        limit=1,
        order="id desc",
    )[0]


def _post(user, task, customer, **kwargs):
    return user(
        "project.task",
        "message_post",
        [task],
        body="Your order ships Thursday.",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        partner_ids=[customer],
        **kwargs,
    )


@pytest.fixture(scope="module")
def addresses(rpc, world):
    """Both addresses saved through the wizard (a wrong password first), each bound
    to its brand's project and that project's default; A for the sales group only."""
    email_a, email_b = world["emails"]
    smtp_a, smtp_b = world["smtp"]
    with pytest.raises(xmlrpc.client.Fault) as refused:
        _add_address(rpc, email_a, smtp_a.port, password="wrong")
    assert "535 5.7.8 Authentication credentials invalid" in refused.value.faultString
    assert "app password" in refused.value.faultString
    assert _address_id(rpc, email_a) == []
    _add_address(
        rpc,
        email_a,
        smtp_a.port,
        project_ids=[(6, 0, [world["projects"][0]])],
        group_ids=[(6, 0, [world["sales_group"]])],
    )
    _add_address(
        rpc, email_b, smtp_b.port, project_ids=[(6, 0, [world["projects"][1]])]
    )
    ids = [_address_id(rpc, email)[0] for email in (email_a, email_b)]
    for project, address in zip(world["projects"], ids, strict=True):
        rpc(
            "project.project",
            "write",
            [project],
            {"comms_outgoing_address_id": address},
        )
    return ids


def test_credentials_are_readable_by_administrators_only(rpc, world, addresses):
    assert (
        rpc("ir.mail_server", "read", addresses[:1], ["smtp_pass"])[0]["smtp_pass"]
        == "right"
    )
    seller = world["seller"]
    visible = seller(
        "ir.mail_server", "read", addresses[:1], ["comms_email", "comms_test_state"]
    )
    assert visible[0]["comms_test_state"] == "ok"
    for field in ("smtp_pass", "smtp_user"):
        with pytest.raises(xmlrpc.client.Fault, match="AccessError|access"):
            seller("ir.mail_server", "read", addresses[:1], [field])
    assert world["clerk"]("ir.mail_server", "search", [("id", "in", addresses)]) == [
        addresses[1]
    ]
    with pytest.raises(xmlrpc.client.Fault):
        world["portal"]("ir.mail_server", "search", [])


def test_using_an_address_is_enforced_over_rpc(world, addresses):
    task_a, task_b = world["tasks"]
    with pytest.raises(xmlrpc.client.Fault, match="may not send from"):
        _post(world["clerk"], task_a, world["customer"], mail_server_id=addresses[0])
    with pytest.raises(xmlrpc.client.Fault, match="reserved for the projects"):
        _post(world["seller"], task_b, world["customer"], mail_server_id=addresses[0])
    with pytest.raises(xmlrpc.client.Fault, match="reserved for the projects"):
        _send(world["seller"], task_b, world["customer"], comms_address_id=addresses[0])
    with pytest.raises(xmlrpc.client.Fault):
        world["portal"](
            "comms.outgoing.address.wizard", "create", {"email": "x@example.com"}
        )


def test_each_projects_mail_reaches_its_own_server(rpc, world, addresses):
    smtp_a, smtp_b = world["smtp"]
    customer = world["customer_email"]

    def to_customer(smtp):
        return [r for r in smtp.received if r.rcpt_tos == [customer]]

    before = (len(to_customer(smtp_a)), len(to_customer(smtp_b)))
    for task in world["tasks"]:
        _send(world["seller"], task, world["customer"])
    assert _wait_for(
        lambda: (len(to_customer(smtp_a)), len(to_customer(smtp_b)))
        == (before[0] + 1, before[1] + 1)
    )
    for smtp, email in zip(world["smtp"], world["emails"], strict=True):
        received = to_customer(smtp)[-1]
        assert received.mail_from == email
        assert received.message["From"].addresses[0].addr_spec == email
        assert received.login == email
        assert received.message["Subject"]


def test_a_server_down_keeps_the_mail_until_it_is_back(rpc, world, addresses):
    smtp_b = world["smtp"][1]
    port = smtp_b.port
    smtp_b.stop()
    message = _send(world["seller"], world["tasks"][1], world["customer"])
    mail = rpc(
        "mail.mail",
        "search_read",
        [("mail_message_id", "=", message), ("recipient_ids", "in", world["customer"])],
        ["state", "failure_reason"],
    )
    assert len(mail) == 1
    assert mail[0]["state"] == "exception"
    assert (
        "Connection refused" in mail[0]["failure_reason"]
        or "111" in mail[0]["failure_reason"]
    )
    smtp_a = world["smtp"][0]
    before = len(smtp_a.received)
    _send(world["seller"], world["tasks"][0], world["customer"])
    assert _wait_for(lambda: len(smtp_a.received) > before), "A's mail goes on"
    back = FakeSmtp(users=smtp_b.users, bind_port=port).start()
    world["smtp"][1] = back
    # what the chatter's Retry does, then the mail queue's own cron
    rpc("mail.mail", "write", [mail[0]["id"]], {"state": "outgoing"})
    queue = rpc(
        "ir.model.data",
        "check_object_reference",
        "mail",
        "ir_cron_mail_scheduler_action",
    )[1]
    rpc("ir.cron", "method_direct_trigger", [queue])
    assert _wait_for(lambda: len(back.received) == 1)
    assert back.received[0].mail_from == world["emails"][1]
    assert back.received[0].rcpt_tos == [world["customer_email"]]
