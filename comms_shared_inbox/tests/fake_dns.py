"""A small authoritative DNS server on loopback (UDP) answering from a dict, and a
resolver pointed at it."""

import socket
import threading

import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset


class FakeDns:
    """`records` {("name.", "TXT"): ['"v=spf1 ..."'], ("host.", "A"): ["192.0.2.1"]}."""

    def __init__(self, records):
        self.records = {
            (name.lower(), rdtype): values for (name, rdtype), values in records.items()
        }
        self.queries = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self):
        return self._socket.getsockname()[1]

    def resolver(self):
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.port
        resolver.lifetime = 2
        return resolver

    def _answer(self, wire):
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        question = query.question[0]
        rdtype = dns.rdatatype.to_text(question.rdtype)
        name = question.name.to_text().lower()
        self.queries.append((name, rdtype))
        values = self.records.get((name, rdtype))
        if values:
            response.answer.append(
                dns.rrset.from_text_list(
                    question.name, 300, dns.rdataclass.IN, rdtype, values
                )
            )
        elif not any(key[0] == name for key in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()

    def _serve(self):
        while not self._stopping.is_set():
            try:
                wire, peer = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            self._socket.sendto(self._answer(wire), peer)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        self._thread.join()
        self._socket.close()
