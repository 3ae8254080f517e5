#!/bin/bash
# `make systemd-test` (not part of `make test`): installs the .deb into a Debian 12 booted under a
# real systemd with systemd-nspawn and checks what an operator relies on: the package installs
# (user, directories, units), the daemon reports READY, a SIGSTOPped daemon is killed by the
# watchdog and restarted, reload applies a new crawl, `herald crawl` hands its run to the
# daemon, a stop in the middle of a crawl ends it cleanly as interrupted, a member of group
# herald may read logs and consume the spool while others are refused, and the live
# `systemd-analyze security` exposure is at most 2.0. Prints each check and a summary; exits 1
# if any failed.
#
#   scripts/systemd-test.sh DEB [CACHE]
#
# CACHE (default var/systemd-test) keeps the debootstrapped Debian 12 (`rootfs`, made once, about
# 5 minutes and 250 MB from deb.debian.org); every run boots a throwaway copy of it
# (--ephemeral). The news site the daemon crawls runs on the host's 127.0.0.1 (nspawn without
# --private-network shares the host's network), so nothing but loopback is crawled.
set -uo pipefail
deb=$(readlink -f "$1")
cache=$(readlink -f "${2:-var/systemd-test}")
here=$(cd "$(dirname "$0")/.." && pwd)
rootfs=$cache/rootfs
mkdir -p "$cache"

for tool in debootstrap systemd-nspawn nsenter python3; do
    command -v "$tool" >/dev/null || { echo "systemd-test: $tool is missing (apt-get install debootstrap systemd-container)"; exit 2; }
done
if [ ! -x "$rootfs/lib/systemd/systemd" ]; then
    echo "== debootstrapping Debian 12 into $rootfs (once)"
    rm -rf "$rootfs.tmp"
    debootstrap --variant=minbase \
        --include=systemd,systemd-sysv,dbus,libcurl4,libxml2,libsqlite3-0,zlib1g,ca-certificates,python3,procps \
        bookworm "$rootfs.tmp" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
        || { echo "debootstrap failed, see $cache/debootstrap.log"; exit 2; }
    mv "$rootfs.tmp" "$rootfs"
fi

passed=0 failed=0
check() { # check NAME COMMAND...: runs COMMAND on the host, counts and prints the result
    local name=$1; shift
    if "$@"; then echo "  ok    $name"; passed=$((passed + 1)); else echo "  FAIL  $name"; failed=$((failed + 1)); fi
}

# The news site, on the host's loopback: 40 articles; the crawl `slow` reads it one page a second.
work=$(mktemp -d)
coproc SITE { exec python3 "$here/Tests/HeraldTestSupport/Resources/testsite.py" --root "$work/site" --max-seconds 1800; }
read -r port <&"${SITE[0]}"
base="http://127.0.0.1:$port"
python3 "$here/Tests/HeraldTestSupport/Resources/newssite.py" --out "$work/site" --base "$base" --articles 40 \
    --corpus "${CORPUS:-$here/../shared/corpus}" >/dev/null

echo "== booting a throwaway copy of $rootfs"
systemd-nspawn --boot --register=no --keep-unit --ephemeral -D "$rootfs" --quiet \
    --bind-ro="$deb":/root/herald.deb >"$work/console.log" 2>&1 &
nspawn=$!
cleanup() {
    kill "$nspawn" 2>/dev/null; wait "$nspawn" 2>/dev/null
    exec {SITE[1]}>&- 2>/dev/null; wait "$SITE_PID" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# The container's PID 1 as the host sees it: nspawn's child running systemd.
leader=""
for _ in $(seq 100); do
    for p in $(pgrep -P "$nspawn"); do
        [ "$(cat /proc/$p/comm 2>/dev/null)" = systemd ] && leader=$p
    done
    [ -n "$leader" ] && break
    sleep 0.2
done
[ -n "$leader" ] || { echo "the container did not boot:"; cat "$work/console.log"; exit 1; }
inside() { nsenter -t "$leader" -m -u -i -n -p -- /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh -c "$*"; }
inside "systemctl is-system-running --wait >/dev/null 2>&1; true"
echo "   booted: $(inside 'systemctl --version | head -1')"

echo "== dpkg -i"
check "the package installs on a clean Debian 12" inside "dpkg -i /root/herald.deb >/root/dpkg.log 2>&1"
check "user and group herald exist" inside "id herald >/dev/null && getent group herald >/dev/null"
check "the binary needs only Debian libraries" inside "! ldd /usr/bin/herald | grep -q 'not found\|swift'"
check "the spool is 2770 herald:herald" inside "[ \"\$(stat -c '%a %U %G' /var/spool/herald)\" = '2770 herald herald' ]"
check "herald check passes on the shipped configuration" inside "herald check --config /etc/herald/herald.yaml >/dev/null"

# Point the installation at the local site: a crawl definition of it, private addresses allowed.
inside "rm -f /etc/herald/crawls/*.yaml
sed -i 's/^allow_private_networks:.*/allow_private_networks: true/' /etc/herald/herald.yaml
cat > /etc/herald/crawls/news.yaml <<YAML
schedule: '0 0 1 1 *'
start: [$base/]
feeds: [$base/feeds/world.rss]
articles: {allow: ['/news/[a-z]+/\\\\d+-[^/]*\\\\.html\$']}
politeness: {per_host_concurrency: 4, per_host_delay: 0s}
YAML"

echo "== the daemon"
check "systemctl start returns after READY=1 (Type=notify)" inside "systemctl start herald"
check "the status line names the crawls" inside "systemctl show -p StatusText --value herald | grep -q '1 crawl'"
pid1=$(inside "systemctl show -p MainPID --value herald")

check "herald crawl hands its run to the daemon and prints the summary" \
    inside "herald crawl --config /etc/herald/herald.yaml news 2>/root/handoff.err >/root/handoff.out && grep -q 'handed to the running daemon' /root/handoff.err && grep -q 'new' /root/handoff.out"
delivered=$(inside "ls /var/spool/herald/new | wc -l")
check "the run delivered the site's articles into the spool ($delivered)" test "$delivered" -ge 30

inside "cat > /etc/herald/crawls/slow.yaml <<YAML
schedule: '0 0 1 1 *'
start: [$base/]
follow: {max_depth: 3}
articles: {allow: ['/news/[a-z]+/\\\\d+-[^/]*\\\\.html\$']}
politeness: {per_host_concurrency: 1, per_host_delay: 1s}
YAML"
check "systemctl reload picks up a new crawl definition" \
    inside "systemctl reload herald && for i in \$(seq 50); do systemctl show -p StatusText --value herald | grep -q '2 crawls' && exit 0; sleep 0.2; done; exit 1"
check "the reload kept the same process" test "$(inside 'systemctl show -p MainPID --value herald')" = "$pid1"

echo "== group access"
inside "useradd -m -G herald alice; useradd -m bob"
check "a member of group herald reads the crawl logs" inside "runuser -u alice -- herald logs --config /etc/herald/herald.yaml | grep -q news"
check "a member of group herald consumes the spool (read, move to cur/, delete)" \
    inside "f=\$(ls /var/spool/herald/new | head -1); runuser -u alice -- sh -c \"cat /var/spool/herald/new/\$f >/dev/null && mv /var/spool/herald/new/\$f /var/spool/herald/cur/ && rm /var/spool/herald/cur/\$f\""
check "anyone else is refused with the group to join, exit 1" \
    inside "runuser -u bob -- herald status --config /etc/herald/herald.yaml 2>/root/bob.err; [ \$? = 1 ] && grep -q 'group \"herald\"' /root/bob.err"
check "anyone else's herald crawl is refused, not run beside the daemon" \
    inside "runuser -u bob -- herald crawl --config /etc/herald/herald.yaml news 2>/root/bob2.err; [ \$? = 1 ] && grep -q 'control socket' /root/bob2.err"

echo "== stop in the middle of a crawl"
inside "nohup herald crawl --config /etc/herald/herald.yaml slow >/root/slow.out 2>&1 &"
check "the slow crawl is running in the daemon" \
    inside "for i in \$(seq 100); do herald logs --config /etc/herald/herald.yaml slow | grep -q running && exit 0; sleep 0.2; done; exit 1"
sleep 3
check "systemctl stop ends the daemon cleanly within TimeoutStopSec" inside "timeout 50 systemctl stop herald && [ \"\$(systemctl show -p Result --value herald)\" = success ]"
check "the interrupted run is logged as interrupted" inside "herald logs --config /etc/herald/herald.yaml slow | grep -q interrupted"

echo "== watchdog"
inside "systemctl start herald"
pid2=$(inside "systemctl show -p MainPID --value herald")
# Never `kill -STOP 0` (the whole process group) when the daemon did not start.
[ "${pid2:-0}" -gt 0 ] && inside "kill -STOP $pid2"
echo "   daemon $pid2 stopped with SIGSTOP; WatchdogSec=60s, RestartSec=5s"
check "the watchdog kills the frozen daemon and systemd restarts it" \
    inside "for i in \$(seq 100); do p=\$(systemctl show -p MainPID --value herald); [ \"\$p\" != $pid2 ] && [ \"\$p\" != 0 ] && systemctl is-active -q herald && exit 0; sleep 1; done; exit 1"
check "the journal names the watchdog" inside "journalctl -u herald --no-pager | grep -qi watchdog"

echo "== sandbox"
exposure=$(inside "systemd-analyze security herald.service 2>/dev/null | sed -n 's/.*Overall exposure level for herald.service: \\([0-9.]*\\).*/\\1/p'")
echo "   live exposure of herald.service: $exposure"
check "live systemd-analyze security exposure <= 2.0" python3 -c "import sys; sys.exit(0 if 0 < float('${exposure:-99}') <= 2.0 else 1)"
exposure_crawl=$(inside "systemd-analyze security herald-crawl@news.service 2>/dev/null | sed -n 's/.*Overall exposure level for herald-crawl@news.service: \\([0-9.]*\\).*/\\1/p'")
echo "   live exposure of herald-crawl@news.service: $exposure_crawl"
check "live exposure of the crawl unit <= 2.0" python3 -c "import sys; sys.exit(0 if 0 < float('${exposure_crawl:-99}') <= 2.0 else 1)"

inside "systemctl stop herald"
echo "== $passed passed, $failed failed"
[ "$failed" = 0 ]
