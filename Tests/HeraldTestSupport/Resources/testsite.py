#!/usr/bin/env python3
"""herald's local test site: a small HTTP/1.1 server for tests (never reachable from outside).

Usage: testsite.py [--root DIR] [--log FILE] [--tls]
  Binds 127.0.0.1 on an ephemeral port and prints the port number on stdout (one line).
  Exits by itself when stdin closes (the test process died or closed the pipe).
  --root DIR  serve files from DIR (GET /a/b.html -> DIR/a/b.html, /dir/ -> dir/index.html),
              with ETag (sha1 of the content) and Last-Modified (file mtime), answering
              conditional requests with 304. A `content_type=` query parameter on a file URL
              replaces its Content-Type (e.g. `text/html` without charset, for pages that
              declare their charset only in <meta>).
  --tls       speak HTTPS with a fresh self-signed certificate (for "clients must verify" tests)
  --log FILE  append one JSON object per line for each request event:
              {"event": "start", "id", "time", "method", "path", "query", "host", "client_port",
               "headers": {lower-cased name: value}}
              {"event": "end", "id", "time", "status", "bytes"}   (also when the client gave up)

Scripted routes (query parameters optional unless noted; "key" isolates per-test state):
  /status/<code>                      answer <code> with a short text body
  /respond?status=&body=&h=Name:Value&delay_ms=   anything: status, body, repeated headers, delay
  /slow?ms=300                        200 after sleeping ms (for concurrency measurements)
  /echo                               200, JSON of the request headers
  /flaky/<n>?key=K                    500 for the first n requests (per key), then 200 "recovered"
  /reset/<n>?key=K                    close the connection without answering for the first n
                                      requests (per key), then 200 "recovered"
  /retry-after/<s>?status=503&fails=1&key=K   <status> with "Retry-After: <s>" for the first
                                      `fails` requests (per key), then 200 "recovered"
  /redirect/<n>                       302 chain: /redirect/n -> /redirect/n-1 ... /redirect/0 (200)
  /redirect-to?url=U&status=302       redirect to U (any URL, e.g. file:///etc/passwd,
                                      http://169.254.169.254/latest/meta-data/)
  /loop/a, /loop/b                    a -> b -> a redirect loop
  /stall-headers?seconds=5            send nothing for `seconds`, then 200
  /stall-body?seconds=5               send headers and 100 of 1000 promised bytes, then stall
  /big?bytes=N&chunked=0              N bytes of "x" (Content-Length, or chunked with chunked=1)
  /short-body                         promises 1000 bytes, sends 100 and closes the connection
  /bad-chunk                          chunked encoding with a chunk size that is not hexadecimal
  /gzip?text=...                      gzip-encoded text/html body ("Content-Encoding: gzip")
  /gzip-bomb?mb=100                   Content-Encoding gzip of `mb` MiB of zeros (~100 KB on the wire)
  /conditional?etag=v1&lm=<http-date> ETag/Last-Modified; 304 for a matching If-None-Match or a
                                      not-older If-Modified-Since
  /charset?charset=iso-8859-1         text/html body encoded in `charset`, declared only in the
                                      Content-Type header ("café" appears in the body)
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import select
import socket
import ssl
import subprocess
import tempfile
import sys
import threading
import time
import zlib
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit, unquote

STATE_LOCK = threading.Lock()
COUNTERS = {}          # (route, key) -> requests seen
LOG_LOCK = threading.Lock()
LOG_FILE = None
ROOT = None
NEXT_ID = [0]
BOMBS = {}

MIME = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
        ".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
        ".txt": "text/plain; charset=utf-8", ".json": "application/json", ".gz": "application/gzip",
        ".css": "text/css", ".js": "application/javascript", ".png": "image/png",
        ".jpg": "image/jpeg"}


def log_event(obj):
    if LOG_FILE is None:
        return
    line = json.dumps(obj, sort_keys=True) + "\n"
    with LOG_LOCK:
        LOG_FILE.write(line)
        LOG_FILE.flush()


def count(route, key):
    with STATE_LOCK:
        n = COUNTERS.get((route, key), 0) + 1
        COUNTERS[(route, key)] = n
        return n


def gzip_bomb(mb):
    with STATE_LOCK:
        if mb in BOMBS:
            return BOMBS[mb]
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)   # 31: gzip container
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(mb)]
    parts.append(compressor.flush())
    data = b"".join(parts)
    with STATE_LOCK:
        BOMBS[mb] = data
    return data


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "herald-testsite"

    def log_message(self, format, *args):
        pass

    # Request bookkeeping ---------------------------------------------------------------
    def handle_one_request(self):
        self._status = None
        self._bytes = 0
        self._id = None
        try:
            super().handle_one_request()
        except (ConnectionError, BrokenPipeError, socket.timeout):
            self.close_connection = True
        finally:
            if self._id is not None:
                log_event({"event": "end", "id": self._id, "time": time.time(),
                           "status": self._status, "bytes": self._bytes})

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def write(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self._bytes += len(data)

    def client_gone(self):
        """True when the client closed its end (a readable socket with nothing to read)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if readable:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True
        return False

    def sleep_unless_gone(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.client_gone():
                return False
            time.sleep(0.02)
        return True

    def reply(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        with STATE_LOCK:
            NEXT_ID[0] += 1
            self._id = NEXT_ID[0]
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        log_event({"event": "start", "id": self._id, "time": time.time(), "method": self.command,
                   "path": path, "query": parts.query, "host": self.headers.get("Host", ""),
                   "client_port": self.client_address[1],
                   "headers": {k.lower(): v for k, v in self.headers.items()}})
        q = lambda name, default=None: query.get(name, [default])[0]
        segments = [s for s in path.split("/") if s]
        route = segments[0] if segments else ""
        arg = segments[1] if len(segments) > 1 else None
        key = q("key", "")
        try:
            handler = ROUTES.get(route)
            if handler is not None:
                handler(self, arg, q, query, key)
            else:
                self.serve_file(path, q("content_type"))
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True

    # Files -------------------------------------------------------------------------------
    def serve_file(self, path, content_type=None):
        if ROOT is None:
            return self.reply(404, "not found\n")
        full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if not (full == ROOT or full.startswith(ROOT + os.sep)):
            return self.reply(404, "not found\n")
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")
        if not os.path.isfile(full):
            return self.reply(404, "not found\n")
        with open(full, "rb") as f:
            body = f.read()
        mtime = int(os.path.getmtime(full))
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        last_modified = formatdate(mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if self.not_modified(etag, mtime):
            return self.reply(304, b"", None, validators)
        ext = os.path.splitext(full)[1].lower()
        self.reply(200, body, content_type or MIME.get(ext, "application/octet-stream"), validators)

    def not_modified(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return int(parsedate_to_datetime(ims).timestamp()) >= mtime
            except (TypeError, ValueError):
                return False
        return False

    # Scripted routes ----------------------------------------------------------------------
    def r_status(self, arg, q, query, key):
        code = int(arg or 200)
        self.reply(code, "status %d\n" % code)

    def r_respond(self, arg, q, query, key):
        delay = int(q("delay_ms", "0"))
        if delay and not self.sleep_unless_gone(delay / 1000):
            return
        headers = []
        for h in query.get("h", []):
            name, _, value = h.partition(":")
            headers.append((name.strip(), value.strip()))
        ctype = None if any(n.lower() == "content-type" for n, _ in headers) else "text/plain; charset=utf-8"
        self.reply(int(q("status", "200")), q("body", ""), ctype, headers)

    def r_slow(self, arg, q, query, key):
        if self.sleep_unless_gone(int(q("ms", "300")) / 1000):
            self.reply(200, "slow\n")

    def r_echo(self, arg, q, query, key):
        self.reply(200, json.dumps({k.lower(): v for k, v in self.headers.items()}), "application/json")

    def r_flaky(self, arg, q, query, key):
        if count("flaky" + (arg or ""), key) <= int(arg or 1):
            return self.reply(500, "failing\n")
        self.reply(200, "recovered\n")

    def r_reset(self, arg, q, query, key):
        if count("reset" + (arg or ""), key) <= int(arg or 1):
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            self.connection.close()
            return
        self.reply(200, "recovered\n")

    def r_retry_after(self, arg, q, query, key):
        status = int(q("status", "503"))
        if count("retry-after" + (arg or "") + str(status), key) <= int(q("fails", "1")):
            return self.reply(status, "come back later\n", headers=[("Retry-After", arg or "1")])
        self.reply(200, "recovered\n")

    def r_redirect(self, arg, q, query, key):
        n = int(arg or 0)
        if n <= 0:
            return self.reply(200, "arrived\n", "text/html; charset=utf-8")
        self.reply(302, "", None, [("Location", "/redirect/%d" % (n - 1))])

    def r_redirect_to(self, arg, q, query, key):
        self.reply(int(q("status", "302")), "", None, [("Location", q("url", "/"))])

    def r_loop(self, arg, q, query, key):
        self.reply(302, "", None, [("Location", "/loop/b" if arg == "a" else "/loop/a")])

    def r_stall_headers(self, arg, q, query, key):
        if self.sleep_unless_gone(float(q("seconds", "5"))):
            self.reply(200, "late\n")

    def r_stall_body(self, arg, q, query, key):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.write(b"x" * 100)
        if self.sleep_unless_gone(float(q("seconds", "5"))):
            self.write(b"x" * 900)

    def r_short_body(self, arg, q, query, key):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.write(b"x" * 100)
        self.close_connection = True

    def r_bad_chunk(self, arg, q, query, key):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.write(b"10\r\nxxxxxxxxxxxxxxxx\r\nZZZZ\r\nnot a chunk size\r\n")
        self.close_connection = True

    def r_big(self, arg, q, query, key):
        n = int(q("bytes", "1000000"))
        if q("chunked", "0") != "1":
            return self.reply(200, b"x" * n)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"x" * 65536
        sent = 0
        while sent < n:
            piece = block[: min(len(block), n - sent)]
            self.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            sent += len(piece)
        self.write(b"0\r\n\r\n")

    def r_gzip(self, arg, q, query, key):
        body = gzip.compress(q("text", "<html><body><p>hello gzip</p></body></html>").encode("utf-8"))
        self.reply(200, body, "text/html; charset=utf-8", [("Content-Encoding", "gzip")])

    def r_gzip_bomb(self, arg, q, query, key):
        body = gzip_bomb(int(q("mb", "100")))
        self.reply(200, body, "text/html", [("Content-Encoding", "gzip")])

    def r_conditional(self, arg, q, query, key):
        etag = '"%s"' % q("etag", "v1")
        lm = q("lm", "Wed, 21 Oct 2015 07:28:00 GMT")
        mtime = int(parsedate_to_datetime(lm).timestamp())
        validators = [("ETag", etag), ("Last-Modified", lm)]
        if self.not_modified(etag, mtime):
            return self.reply(304, b"", None, validators)
        self.reply(200, "<html><body><p>version %s</p></body></html>" % q("etag", "v1"),
                   "text/html; charset=utf-8", validators)

    def r_charset(self, arg, q, query, key):
        charset = q("charset", "iso-8859-1")
        body = "<html><body><p>café</p></body></html>".encode(charset)
        self.reply(200, body, "text/html; charset=%s" % charset.upper())


ROUTES = {
    "status": Handler.r_status, "respond": Handler.r_respond, "slow": Handler.r_slow,
    "echo": Handler.r_echo, "flaky": Handler.r_flaky, "reset": Handler.r_reset,
    "retry-after": Handler.r_retry_after, "redirect": Handler.r_redirect,
    "redirect-to": Handler.r_redirect_to, "loop": Handler.r_loop,
    "stall-headers": Handler.r_stall_headers, "stall-body": Handler.r_stall_body,
    "big": Handler.r_big, "short-body": Handler.r_short_body, "bad-chunk": Handler.r_bad_chunk, "gzip": Handler.r_gzip, "gzip-bomb": Handler.r_gzip_bomb,
    "conditional": Handler.r_conditional, "charset": Handler.r_charset,
}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024       # http.server's default backlog of 5 drops connections


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    os._exit(0)


def main():
    global LOG_FILE, ROOT
    parser = argparse.ArgumentParser()
    parser.add_argument("--root")
    parser.add_argument("--log")
    parser.add_argument("--max-seconds", type=float, default=600,
                        help="exit after this long no matter what (a bound for leaked servers)")
    parser.add_argument("--tls", action="store_true")
    args = parser.parse_args()
    if args.root:
        ROOT = os.path.realpath(args.root)
    if args.log:
        LOG_FILE = open(args.log, "a", encoding="utf-8")
    server = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        certdir = tempfile.mkdtemp(prefix="testsite-tls-")
        cert, key = os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=localhost"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    threading.Timer(args.max_seconds, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
