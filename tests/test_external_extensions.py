"""Users created at the same time in one organization: one extension each."""

import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor


def _create_user(url, rpc, account_id, tag):
    """One client per thread, as separate integrations would be: a proxy cannot
    carry two requests at once."""
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    try:
        return models.execute_kw(
            rpc.database,
            rpc.uid,
            rpc.password,
            "comms.account.user",
            "create",
            [
                {
                    "account_id": account_id,
                    "name": f"Concurrent {tag}",
                    "email": f"concurrent-{tag}@client.example.com",
                }
            ],
        )
    except Exception as error:  # noqa: BLE001 - the test reports every refusal
        return error


def _clash(first, second):
    shorter, longer = sorted((first, second), key=len)
    return longer[: len(shorter)] == shorter


def test_concurrent_users_of_an_organization_get_distinct_extensions(server_url, rpc):
    run = uuid.uuid4().hex[:8]
    company_id = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    accounts = []
    for name in ("Org", "Branch"):
        partner_id = rpc("res.partner", "create", {"name": f"Concurrent {name} {run}"})
        accounts.append(
            rpc(
                "comms.account",
                "create",
                {
                    "partner_id": partner_id,
                    "company_id": company_id,
                    "user_ids": [
                        (
                            0,
                            0,
                            {
                                "name": f"{name} admin",
                                "email": f"{name.lower()}-{run}@client.example.com",
                            },
                        )
                    ],
                },
            )
        )
    organization_id, branch_id = accounts
    wizard_id = rpc(
        "comms.account.affiliate",
        "create",
        {
            "account_id": branch_id,
            "organization_id": organization_id,
            "notify_organization": False,
        },
    )
    rpc("comms.account.affiliate", "action_continue", [wizard_id])
    # Half the new users in the organization, half in its affiliated account.
    targets = [organization_id, branch_id] * 4
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        results = list(
            pool.map(
                lambda item: _create_user(server_url, rpc, item[1], f"{run}-{item[0]}"),
                enumerate(targets),
            )
        )
    assert all(isinstance(result, int) for result in results), results
    rows = rpc(
        "comms.account.user",
        "search_read",
        [("account_id", "in", accounts)],
        ["extension", "orgid"],
    )
    assert len(rows) == 10
    assert {row["orgid"] for row in rows} == {rows[0]["orgid"]}
    extensions = [row["extension"] for row in rows]
    for i, first in enumerate(extensions):
        for second in extensions[i + 1 :]:
            assert not _clash(first, second), extensions
