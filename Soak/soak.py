#!/usr/bin/env python3
"""`make soak`: one crawl of 100,000+ requests against Soak/hostile.py with the release binary.

Prints herald's RSS and open file descriptors every 10,000 requests, then checks that the
crawl finished within its limits, that every failure got an outcome kind of its own (none is
the catch-all `fetch_error`), that RSS and descriptors stayed flat, that nothing was delivered
twice, and that every good page among the bad ones was delivered. Exits 1 if any check fails.

Then, unless --daemon-minutes is 0, a second phase: `herald run` (the daemon) re-crawls a
3,000-page hostile site every 30 s for that many minutes (default 10), printing RSS and
descriptors every 30 s, and checks that memory and descriptors stay flat from run to run, that
every run ends `ok` and nothing is delivered twice across runs, and that SIGTERM stops it cleanly.

  Soak/soak.py [--pages 100000] [--seed 7] [--herald .build/release/herald] [--out var/soak]
               [--daemon-minutes 10]
"""
import argparse
import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Pages whose answer is slow or odd but complete: each must be delivered. 100 KB of headers is
# within libcurl's limits (and HTTP's), so herald reads the page like any other.
GOOD = ("good", "trickle", "headers")
# The kinds each fault may be logged as: a fault logged as anything else is misclassified. A
# redirect to the TLS-refusing port is handed back to be fetched after that host's robots.txt,
# whose failed handshake (`tls_error`, logged once) keeps the host's pages from being fetched.
EXPECTED = {
    "stall": {"timeout"}, "reset": {"connection_reset"}, "chunked": {"bad_response"},
    "length": {"truncated"}, "gzip": {"truncated", "decode_error"}, "circle": {"redirect_refused"},
    "tls": {"redirected"}, "retry429": {"http_4xx"}, "retry503": {"http_5xx"},
}


def rss_kib(pid, field="VmRSS"):
    """Resident KiB: VmRSS in all, RssAnon (heap) or RssFile (mapped files: SQLite's mmap)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def start_site(pages, seed, count_file):
    """The hostile site as a child process, and its HTTP and TLS ports."""
    site = subprocess.Popen([sys.executable, os.path.join(HERE, "hostile.py"), "--pages", str(pages),
                             "--seed", str(seed), "--count-file", count_file],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port, tls_port = site.stdout.readline().split()
    return site, port, tls_port


def write_config(out, base, extra_config, crawl_lines, retention="5 runs"):
    with open(os.path.join(out, "herald.yaml"), "w") as f:
        f.write("spool_dir: spool\nstate_dir: state\nlog_dir: log\ncrawls_dir: crawls\n"
                "allow_private_networks: true\nconcurrency: 64\ntimeout: 3s\nconnect_timeout: 2s\n"
                f"retries: 1\nmax_retry_after: 5s\nlog_retention: {retention}\n" + extra_config)
    with open(os.path.join(out, "crawls", "soak.yaml"), "w") as f:
        f.write(f"sitemaps: [{base}/sitemap_index.xml]\nfollow: {{max_depth: 0}}\n"
                f"articles: {{allow: ['/p/\\d+\\.html$']}}\n"
                f"politeness: {{per_host_concurrency: 48, per_host_delay: 0s}}\n" + crawl_lines)


def spool_records(out):
    """Every record delivered into the spool's new/."""
    records = []
    for path in glob.glob(os.path.join(out, "spool", "new", "*.json")):
        with open(path) as f:
            records.append(json.load(f))
    return records


def run_events(out):
    """Every event of every run of the crawl `soak` still in the log."""
    events = []
    for path in glob.glob(os.path.join(out, "log", "runs", "soak", "*.jsonl")):
        with open(path) as f:
            events += [json.loads(line) for line in f if line.strip()]
    return events


def flatness(samples, label, rss_limit, fd_limit, growth_note):
    """Problems with (RSS KiB, descriptors) samples after the first (the warm-up), printed too."""
    settled = samples[1:]
    rss = [s[0] for s in settled]
    fds = [s[1] for s in settled]
    growth = max(rss) / max(1, rss[0])
    fd_spread = max(fds) - min(fds)
    print(f"{label}RSS from {rss[0] / 1024:.1f} to at most {max(rss) / 1024:.1f} MiB "
          f"(x{growth:.2f}); open descriptors within {fd_spread}")
    problems = []
    if growth > rss_limit:
        problems.append(f"{label}RSS grew x{growth:.2f} {growth_note}")
    if fd_spread > fd_limit:
        problems.append(f"{label}open descriptors varied by {fd_spread}")
    return problems


def daemon_phase(herald, out, seed, minutes):
    """The daemon re-crawling one site on a schedule: returns the problems found."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "crawls"))
    site, port, _ = start_site(3000, seed, os.path.join(out, "requests"))
    write_config(out, f"http://127.0.0.1:{port}",
                 f"control_socket: {out}/control.sock\nmetrics_listen: ''\n", "schedule: every 30s\n",
                 retention="1000 runs")   # every run stays in the log, to be checked
    print(f"\ndaemon: herald run, one crawl every 30 s of a 3,000-page hostile site, {minutes} min, in {out}")
    print(f"{'elapsed':>8} {'runs':>5} {'RSS MiB':>8} {'fds':>5} {'anon MiB':>9}")
    daemon = subprocess.Popen([herald, "run", "--config", os.path.join(out, "herald.yaml")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples, started, problems = [], time.time(), []
    while time.time() - started < minutes * 60:
        time.sleep(30)
        if daemon.poll() is not None:
            problems.append(f"the daemon exited {daemon.returncode}: {daemon.stderr.read()[-500:]}")
            break
        runs = len(glob.glob(os.path.join(out, "log", "runs", "soak", "*.jsonl")))
        rss, fds = rss_kib(daemon.pid), len(os.listdir(f"/proc/{daemon.pid}/fd"))
        samples.append((rss, fds))
        print(f"{time.time() - started:>7.0f}s {runs:>5} {rss / 1024:>8.1f} {fds:>5} "
              f"{rss_kib(daemon.pid, 'RssAnon') / 1024:>9.1f}", flush=True)
    if daemon.poll() is None:
        daemon.send_signal(15)
        try:
            if daemon.wait(timeout=60) != 0:
                problems.append(f"SIGTERM: the daemon exited {daemon.returncode}")
        except subprocess.TimeoutExpired:
            daemon.kill()
            problems.append("SIGTERM: the daemon was still running after 60 s")
    site.stdin.close()
    site.wait()
    ends = [e for e in run_events(out) if e.get("event") == "run_end"]
    outcomes = collections.Counter(e.get("outcome") for e in ends)
    records = spool_records(out)
    twice = [h for h, c in collections.Counter(r["content_hash"] for r in records).items() if c > 1]
    print(f"runs: {dict(outcomes)}; {len(records)} records delivered in all")
    if len(ends) < int(minutes * 2) - 2:
        problems.append(f"only {len(ends)} runs ended in {minutes} min of a 30 s schedule")
    if any(o not in ("ok", "interrupted") for o in outcomes):
        problems.append(f"runs ended {dict(outcomes)}")
    if twice:
        problems.append(f"{len(twice)} articles delivered twice across runs")
    if len(samples) >= 4:   # the first run fills the state and the caches
        problems += flatness(samples, "daemon ", 1.2, 16, "from run to run")
    else:
        problems.append("the daemon phase ran too briefly to judge (fewer than 4 samples)")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--herald", default=".build/release/herald")
    ap.add_argument("--out", default="var/soak")
    ap.add_argument("--daemon-minutes", type=float, default=10)
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "crawls"))
    count_file = os.path.join(out, "requests")

    site, port, tls_port = start_site(args.pages, args.seed, count_file)
    base = f"http://127.0.0.1:{port}"
    write_config(out, base, "", f"limits: {{max_pages: {args.pages * 2}, max_duration: 60m}}\n")

    print(f"soak: {args.pages} pages, seed {args.seed}, site {base} (TLS-refusing port {tls_port}), in {out}")
    print(f"{'requests':>9} {'elapsed':>8} {'RSS MiB':>8} {'fds':>5} {'anon MiB':>9} {'file MiB':>9}")
    started = time.time()
    crawl = subprocess.Popen([args.herald, "crawl", "--config", os.path.join(out, "herald.yaml"), "soak"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    mark = 10_000
    while crawl.poll() is None:
        time.sleep(0.2)
        try:
            count = int(open(count_file).read())
        except (OSError, ValueError):
            continue
        if count >= mark:
            try:
                rss, fds = rss_kib(crawl.pid), len(os.listdir(f"/proc/{crawl.pid}/fd"))
            except OSError:
                break
            anon, mapped = rss_kib(crawl.pid, "RssAnon"), rss_kib(crawl.pid, "RssFile")
            samples.append((rss, fds))
            print(f"{mark:>9} {time.time() - started:>7.0f}s {rss / 1024:>8.1f} {fds:>5} "
                  f"{anon / 1024:>9.1f} {mapped / 1024:>9.1f}", flush=True)
            mark += 10_000
    stdout, stderr = crawl.communicate()
    elapsed = time.time() - started
    site.stdin.close()
    site.wait()
    total = int(open(count_file).read()) if os.path.exists(count_file) else 0

    # What the site did to each page, and what herald made of it.
    faults = {}
    for line in subprocess.run([sys.executable, os.path.join(HERE, "hostile.py"), "--pages", str(args.pages),
                                "--seed", str(args.seed), "--list-faults"], capture_output=True, text=True).stdout.split("\n"):
        if line:
            n, kind = line.split()
            faults[f"{base}/p/{n}.html"] = kind
    records = spool_records(out)
    delivered = collections.Counter(r["url"] for r in records)
    hashes = collections.Counter(r["content_hash"] for r in records)
    events = run_events(out)
    kinds_by_url = collections.defaultdict(set)
    for e in events:
        if e.get("url") and e.get("kind"):
            kinds_by_url[e["url"]].add(e["kind"])
    by_fault = collections.defaultdict(collections.Counter)
    for url, fault in faults.items():
        for kind in kinds_by_url.get(url, {"(no event)"}):
            by_fault[fault][kind] += 1

    print(f"\n{stdout.strip()}\n{total} requests in {elapsed:.0f} s; {len(records)} records delivered")
    print("what each kind of page became (page count per logged kind):")
    for fault in sorted(by_fault):
        print(f"  {fault:<9} " + ", ".join(f"{k} {c}" for k, c in by_fault[fault].most_common()))

    problems = []
    if crawl.returncode != 0:
        problems.append(f"herald crawl exited {crawl.returncode}: {stderr.strip()[-500:]}")
    if total < 100_000 and args.pages >= 100_000:
        problems.append(f"only {total} requests")
    unclassified = [u for u, k in kinds_by_url.items() if "fetch_error" in k]
    if unclassified:
        problems.append(f"{len(unclassified)} pages failed as fetch_error (no kind of their own), e.g. {unclassified[0]}")
    silent = [u for u, f in faults.items() if f not in GOOD and not (kinds_by_url.get(u, set()) - {"ok"})]
    if silent:
        problems.append(f"{len(silent)} faulty pages have no failure kind logged, e.g. {silent[0]} ({faults[silent[0]]})")
    wrong = collections.Counter((f, k) for u, f in faults.items() if f in EXPECTED
                                for k in kinds_by_url.get(u, set()) - EXPECTED[f])
    for (fault, kind), count in wrong.items():
        problems.append(f"{count} {fault} pages logged as {kind} (expected {', '.join(sorted(EXPECTED[fault]))})")
    twice = [h for h, c in hashes.items() if c > 1] + [u for u, c in delivered.items() if c > 1]
    if twice:
        problems.append(f"{len(twice)} articles delivered twice, e.g. {twice[0]}")
    missing = [u for u, f in faults.items() if f in GOOD and u not in delivered]
    if missing:
        problems.append(f"{len(missing)} good pages not delivered, e.g. {missing[0]}")
    if len(samples) >= 3:   # the first 10,000 requests warm the caches up
        problems += flatness(samples, "", 1.3, 64, "after the first 10,000 requests")
    if args.daemon_minutes > 0:
        problems += daemon_phase(args.herald, out + "-daemon", args.seed, args.daemon_minutes)
    for p in problems:
        print("FAIL:", p)
    print("soak: " + ("FAILED" if problems else "held"))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
