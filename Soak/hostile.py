#!/usr/bin/env python3
"""A news site that misbehaves on purpose, for `make soak`.

Serves N article pages (/p/<n>.html) listed in a sitemap index, on 127.0.0.1 only. Each page's
behaviour is fixed by the seed (the same page always fails the same way, retries included):
most are good articles; the rest trickle bytes, stall mid-body, reset the connection, send
broken chunked encoding, lie in Content-Length, send 100 KB of headers, redirect in circles,
send gzip that never ends, redirect to a second port that fails every TLS handshake, or (a few)
answer 429/503 with an absurd Retry-After. Prints the HTTP port and the TLS port, then serves
until stdin closes. Writes the number of requests answered to --count-file every 1,000.

  hostile.py --pages 100000 --seed 7 --count-file var/soak/requests
"""
import argparse
import asyncio
import gzip
import os
import random
import socket
import struct
import sys
import threading

WORDS = ("harbour council ferry timetable island commuter market farmer harvest orchard library "
         "petition student teacher school chess airline runway route passenger museum painting "
         "river bridge traffic parking mayor budget tax hospital nurse doctor clinic station train "
         "tram bus cyclist lane storm flood rain drought heat summer winter festival concert choir "
         "theatre football goalkeeper coach league trophy election vote candidate debate court judge "
         "lawyer police street square quarter shop bakery cafe restaurant chef menu price wage union "
         "strike factory worker engineer software startup bank loan mortgage housing rent tenant "
         "landlord garden park tree forest wolf bird fish lake sea coast beach tourist hotel").split()

FAULTS = [  # (kind, share of pages)
    ("trickle", 0.02), ("stall", 0.02), ("reset", 0.02), ("chunked", 0.02), ("length", 0.02),
    ("headers", 0.02), ("circle", 0.02), ("gzip", 0.02), ("tls", 0.02),
]
RARE = {"retry429": 3, "retry503": 3}   # absolute counts: each pauses the host for minutes


def fault_of(seed, n, pages):
    """The page's behaviour: 'good', 'trickle' (slow but complete: good too) or a fault."""
    rare = random.Random(seed * 7919).sample(range(pages), sum(RARE.values()))
    if n in rare:
        return "retry429" if rare.index(n) < RARE["retry429"] else "retry503"
    x = random.Random(seed * 1_000_003 + n).random()
    for kind, share in FAULTS:
        if x < share:
            return kind
        x -= share
    return "good"


def article(seed, n):
    rng = random.Random(seed * 999_983 + n)
    words = [rng.choice(WORDS) for _ in range(160)]
    paras = [" ".join(words[i:i + 40]).capitalize() + "." for i in range(0, 160, 40)]
    title = f"Story {n}: " + " ".join(words[:6])
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta property=\"article:published_time\" content=\"2026-11-{1 + n % 28:02d}T08:00:00Z\"></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


class Site:
    def __init__(self, pages, seed, count_file):
        self.pages, self.seed, self.count_file = pages, seed, count_file
        self.count = 0
        self.rare = None
        self.tls_port = 0

    def answered(self):
        self.count += 1
        if self.count % 1000 == 0 and self.count_file:
            with open(self.count_file + ".tmp", "w") as f:
                f.write(str(self.count))
            os.replace(self.count_file + ".tmp", self.count_file)

    async def handle(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1")
                keep = await self.respond(path, writer)
                self.answered()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError):
            pass
        except asyncio.CancelledError:
            pass   # the site is shutting down with stalled answers still open
        finally:
            try:
                writer.close()
            except Exception:
                pass

    @staticmethod
    def response(status, body, ctype="text/html; charset=utf-8", extra=b""):
        reason = {200: "OK", 301: "Moved", 302: "Found", 404: "Not Found", 429: "Too Many Requests",
                  503: "Service Unavailable"}.get(status, "X")
        return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n".encode()
                + extra + b"\r\n" + body)

    async def respond(self, path, w):
        if path == "/robots.txt":
            w.write(self.response(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"))
            return True
        if path == "/sitemap_index.xml":
            parts = (self.pages + 49_999) // 50_000
            items = "".join(f"<sitemap><loc>http://127.0.0.1:{self.port}/sitemaps/{k}.xml</loc></sitemap>" for k in range(parts))
            w.write(self.response(200, f"<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{items}</sitemapindex>".encode(), "application/xml"))
            return True
        if path.startswith("/sitemaps/"):
            k = int(path[len("/sitemaps/"):-4])
            urls = "".join(f"<url><loc>http://127.0.0.1:{self.port}/p/{n}.html</loc></url>"
                           for n in range(k * 50_000, min(self.pages, (k + 1) * 50_000)))
            w.write(self.response(200, f"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>".encode(), "application/xml"))
            return True
        if path.startswith("/circle/"):
            step = int(path[len("/circle/"):].split(".")[0])
            w.write(self.response(302, b"", extra=f"Location: /circle/{(step + 1) % 3}.{path.split('.')[-1]}\r\n".encode()))
            return True
        if not path.startswith("/p/"):
            w.write(self.response(404, b"not here\n", "text/plain"))
            return True
        n = int(path[3:].split(".")[0])
        kind = fault_of(self.seed, n, self.pages)
        page = article(self.seed, n)
        if kind == "good":
            w.write(self.response(200, page))
            return True
        if kind == "trickle":   # complete, 60 bytes at a time, 20 ms apart (about 1.5 s)
            data = self.response(200, page)
            step = max(60, len(data) // 75)
            for i in range(0, len(data), step):
                w.write(data[i:i + step])
                await w.drain()
                await asyncio.sleep(0.02)
            return True
        if kind == "stall":
            w.write(self.response(200, page)[: len(page) // 2])
            await w.drain()
            await asyncio.sleep(30)
            return False
        if kind == "reset":
            sock = w.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if kind == "chunked":
            w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + b"10\r\n<html><body><p>x\r\nZZZZ\r\nnot a chunk size\r\n")
            await w.drain()
            return False
        if kind == "length":
            w.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(page) * 2}\r\n\r\n".encode() + page)
            await w.drain()
            return False
        if kind == "headers":
            filler = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"y" * 1000) for i in range(110))
            w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + filler + f"Content-Length: {len(page)}\r\n\r\n".encode() + page)
            await w.drain()
            return False
        if kind == "circle":
            w.write(self.response(302, b"", extra=f"Location: /circle/0.{n}\r\n".encode()))
            return True
        if kind == "gzip":
            stream = gzip.compress(page * 3)
            cut = stream[: len(stream) // 2]
            w.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {len(stream)}\r\n\r\n".encode() + cut)
            await w.drain()
            return False
        if kind == "tls":
            w.write(self.response(302, b"", extra=f"Location: https://127.0.0.1:{self.tls_port}/p/{n}.html\r\n".encode()))
            return True
        if kind in ("retry429", "retry503"):
            status = 429 if kind == "retry429" else 503
            w.write(self.response(status, b"slow down\n", "text/plain", b"Retry-After: 99999999999\r\n"))
            return True
        return False


async def tls_refuser(reader, writer):
    """Every TLS handshake fails: the server answers the ClientHello with garbage and hangs up."""
    try:
        await reader.read(512)
        writer.write(b"\x15\x03\x01\x00\x02\x02\x28garbage")
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--count-file")
    ap.add_argument("--list-faults", action="store_true", help="print `n kind` for every page and exit")
    args = ap.parse_args()
    if args.list_faults:
        for n in range(args.pages):
            print(n, fault_of(args.seed, n, args.pages))
        return
    site = Site(args.pages, args.seed, args.count_file)
    server = await asyncio.start_server(site.handle, "127.0.0.1", 0, limit=1 << 16, backlog=512)
    tls = await asyncio.start_server(tls_refuser, "127.0.0.1", 0)
    site.port = server.sockets[0].getsockname()[1]
    site.tls_port = tls.sockets[0].getsockname()[1]
    print(site.port, site.tls_port, flush=True)
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(done.set_result, None)),
                     daemon=True).start()
    await done


if __name__ == "__main__":
    asyncio.run(main())
