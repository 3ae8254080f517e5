#!/bin/bash
# Builds herald_<version>_<arch>.deb from a herald binary (`make deb` passes the release build
# linked with --static-swift-stdlib, so it needs no Swift toolchain on the server): the binary
# in /usr/bin, herald.yaml and the shipped crawl definitions in /etc/herald (conffiles: an
# upgrade never overwrites an edited file), the units in /lib/systemd/system, sysusers.d and
# tmpfiles.d entries, and the README. Usage: scripts/make-deb.sh BINARY OUTDIR [VERSION]
set -euo pipefail
binary=$1 out=$2 version=${3:-0.1.0}
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT

install -D -m 0755 "$binary" "$root/usr/bin/herald"
install -D -m 0644 Config/herald.yaml "$root/etc/herald/herald.yaml"
install -d "$root/etc/herald/crawls"
install -m 0644 Crawls/*.yaml "$root/etc/herald/crawls/"
install -d "$root/lib/systemd/system"
for unit in systemd/*.service systemd/*.timer; do
    sed 's#/usr/local/share/#/usr/share/#g; s#/usr/local/bin/#/usr/bin/#g' "$unit" > "$root/lib/systemd/system/$(basename "$unit")"
done
install -D -m 0644 systemd/herald.sysusers "$root/usr/lib/sysusers.d/herald.conf"
install -D -m 0644 systemd/herald.tmpfiles "$root/usr/lib/tmpfiles.d/herald.conf"
install -D -m 0644 README.md "$root/usr/share/doc/herald/README.md"

mkdir -p "$root/DEBIAN"
(cd "$root" && find etc -type f | sed 's#^#/#' | sort) > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: herald
Version: $version
Architecture: $arch
Maintainer: herald maintainers <herald@localhost>
Installed-Size: $size
Depends: libc6, libcurl4, libxml2, libsqlite3-0, zlib1g, libstdc++6, libgcc-s1, systemd
Section: net
Priority: optional
Homepage: https://herald.example/
Description: news crawl daemon
 Fetches news sites on a schedule, extracts article records (title, authors,
 date, section, tags, clean body text), drops what was already delivered by
 content hash, and writes each new article as a JSON file into a maildir-style
 spool. Runs as the systemd service herald.service.
CONTROL
cat > "$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
# The user, group and spool first (the units need them), then let systemd see the units. The
# service is not started here: edit /etc/herald, then `systemctl enable --now herald`.
set -e
if [ "$1" = configure ]; then
    systemd-sysusers herald.conf
    systemd-tmpfiles --create herald.conf
    install -d -o herald -g herald -m 0750 /var/lib/herald /var/log/herald
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        # An upgrade restarts a service that was running, so it runs the new binary.
        if systemctl is-active --quiet herald.service; then systemctl restart herald.service; fi
    fi
fi
exit 0
SCRIPT
cat > "$root/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
# Removal stops the service (a clean stop: a running crawl ends interrupted, nothing is lost).
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    systemctl disable --now herald.service 'herald-crawl@*.timer' >/dev/null 2>&1 || true
fi
exit 0
SCRIPT
cat > "$root/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
# Purge removes herald's state and logs; the spool (/var/spool/herald) holds articles your
# pipelines may not have consumed yet, so it is left for you to remove.
set -e
if [ "$1" = purge ]; then rm -rf /var/lib/herald /var/log/herald; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
exit 0
SCRIPT
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
mkdir -p "$out"
deb="$out/herald_${version}_${arch}.deb"
# DEB_COMPRESSION=gzip builds faster (the tests use it); xz gives the smaller package.
fakeroot dpkg-deb -Z"${DEB_COMPRESSION:-xz}" --build --root-owner-group "$root" "$deb" >/dev/null
echo "$deb"
