"""Does an address's domain publish SPF, DKIM and DMARC records covering its server?

Plain dnspython queries; `resolver()` is the one place tests point at a DNS server of
their own."""

import dns.resolver

# SPF include and DKIM selectors of the services the wizard offers as presets
SERVICE_DNS = {
    "gmail": ("_spf.google.com", ["google"]),
    "outlook": ("spf.protection.outlook.com", ["selector1", "selector2"]),
    "yahoo": (None, ["s2048", "s1024"]),
    "icloud": ("icloud.com", ["sig1"]),
    "zoho": ("zoho.com", ["zmail"]),
    "fastmail": ("spf.messagingengine.com", ["fm1", "fm2", "fm3"]),
    "gmx": (None, ["dkim"]),
    "ovh": ("mx.ovh.com", ["ovhmo"]),
    "ses": ("amazonses.com", []),
    "sendgrid": ("sendgrid.net", ["s1", "s2"]),
    "mailgun": ("mailgun.org", ["mx", "k1", "smtp"]),
}
DEFAULT_SELECTORS = ["default", "mail", "dkim", "selector1"]


def resolver():
    return dns.resolver.Resolver()


def _txt(name):
    try:
        answer = resolver().resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def _addresses(host):
    try:
        return [record.address for record in resolver().resolve(host, "A")]
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []


def check_domain(domain, host, preset=None):
    """{"spf"|"dkim"|"dmarc": (ok, found, advice)}; DNS failures raise
    dns.exception.DNSException."""
    include, selectors = SERVICE_DNS.get(preset or "", (None, DEFAULT_SELECTORS))
    results = {}

    spf = next((r for r in _txt(domain) if r.lower().startswith("v=spf1")), None)
    ips = [] if include else _addresses(host)
    wanted = [f"include:{include}"] if include else [f"ip4:{ip}" for ip in ips]
    covers = bool(spf) and (
        any(token in spf.split() for token in wanted)
        or (not include and f"a:{host}" in spf)
    )
    advice = f"v=spf1 {' '.join(wanted or [f'a:{host}'])} ~all"
    results["spf"] = (covers, spf, None if covers else f'{domain} TXT "{advice}"')

    dkim = None
    for selector in selectors:
        records = [r for r in _txt(f"{selector}._domainkey.{domain}") if "p=" in r]
        if records:
            dkim = f"{selector}._domainkey.{domain}"
            break
    selector = selectors[0] if selectors else "<selector>"
    results["dkim"] = (
        bool(dkim),
        dkim,
        None
        if dkim
        else f'{selector}._domainkey.{domain} TXT "v=DKIM1; k=rsa; p=<the public key '
        'your mail service gives you>"',
    )

    dmarc = next(
        (r for r in _txt(f"_dmarc.{domain}") if r.upper().startswith("V=DMARC1")), None
    )
    results["dmarc"] = (
        bool(dmarc),
        dmarc,
        None
        if dmarc
        else f'_dmarc.{domain} TXT "v=DMARC1; p=none; rua=mailto:dmarc@{domain}"',
    )
    return results
