# herald — build, test, benchmark and run a one-off crawl.
# Every target that builds first makes sure the Debian packages the build needs are installed.

SWIFT       ?= swift
APT_PACKAGES = libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev pkg-config python3 systemd nginx openssl fakeroot prometheus
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG      ?= Config/herald.yaml
PREFIX      ?= /usr/local
BIN          = .build/release/herald

.PHONY: deps build release test bench crawl install clean fuzz demo deb soak systemd-test

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation are linked in (--static-swift-stdlib), so the installed
# binary needs only Debian's libraries, not the toolchain it was built with.
STATIC = --static-swift-stdlib

release: deps
	$(SWIFT) build -c release --product herald $(STATIC)

# Tests run one at a time: many start servers, daemons and the real binary, and on a 2-core
# machine parallel tests that wait on processes starve the cooperative thread pool that the
# in-process daemon and fetcher tests need, turning their timing assertions into flakes.
# The corpus quality gate scores every annotated set through the release `herald extract`
# (a debug build would take minutes over 3,100 pages), so the release binary is built first.
test: deps
	$(SWIFT) build -c release --product herald $(STATIC)
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# The crawl benchmark serves its generated site with nginx (in APT_PACKAGES; the HTTP/2 test
# uses it too). RUNLEVEL=1 keeps the package from starting a system-wide nginx on install.
bench: deps
	$(SWIFT) build -c release --product herald-bench
	$(SWIFT) build -c release --product herald $(STATIC)
	.build/release/herald-bench

# Fuzzing (libFuzzer + AddressSanitizer) of every parser of outside bytes; the targets live in
# their own package (Fuzz/) so the normal build never compiles them. Each target runs for
# FUZZ_SECONDS, or FUZZ_RUNS executions when set and reached first, on its corpus in
# var/fuzz/<target> (seeded on first use); crashes, hangs (> 2 s on one input) and leaks are
# written next to it as crash-*, timeout-*, leak-*. lld links them: gold fails on the sanitized
# objects (an internal error in its DWARF reader).
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 0
FUZZ_TARGETS  = fuzz-extract fuzz-feed fuzz-sitemap fuzz-robots fuzz-url fuzz-config fuzz-logline fuzz-control
FUZZ_BUILD    = cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
fuzz: deps
	$(FUZZ_BUILD)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) Fuzz/run.sh $(FUZZ_TARGETS)

# A crawl of 100,000+ requests against a local site that misbehaves on a fixed seed (Soak/):
# prints RSS and open descriptors every 10,000 requests and checks every fault is classified,
# nothing is delivered twice and every good page is; then the daemon re-crawls a smaller site
# every 30 s for SOAK_DAEMON_MINUTES, memory and descriptors checked from run to run. Not part of `make test`.
SOAK_PAGES ?= 100000
SOAK_DAEMON_MINUTES ?= 10
soak: release
	python3 Soak/soak.py --pages $(SOAK_PAGES) --daemon-minutes $(SOAK_DAEMON_MINUTES) --herald $(BIN) --out var/soak

# A Debian package of the release build: var/deb/herald_<version>_<arch>.deb.
deb: release
	scripts/make-deb.sh $(BIN) var/deb

# The package under a real systemd (not part of `make test`; needs root, debootstrap and
# systemd-nspawn, and deb.debian.org once to debootstrap Debian 12 into var/systemd-test).
systemd-test: deb
	@for p in debootstrap systemd-container; do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends $$p; \
	done
	scripts/systemd-test.sh $$(ls -t var/deb/herald_*.deb | head -1) var/systemd-test

# A first look without the internet: the bundled test news site on 127.0.0.1, crawled by the
# release binary into var/demo; prints three records and the run's log, then stops the site.
demo: release
	scripts/demo.sh

crawl: release
	@test -n "$(CRAWL)" || { echo "usage: make crawl CRAWL=<name of a file in Crawls/>"; exit 2; }
	mkdir -p var
	$(BIN) crawl --config $(CONFIG) --spool var/spool --state var/state --log-dir var/log Crawls/$(CRAWL).yaml

# The units run as the system user and group "herald" (systemd/herald.sysusers); the spool
# directory comes from systemd/herald.tmpfiles.
install: release
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/herald
	install -d $(DESTDIR)/etc/herald $(DESTDIR)/etc/herald/crawls
	[ -f $(DESTDIR)/etc/herald/herald.yaml ] || install -m 0644 Config/herald.yaml $(DESTDIR)/etc/herald/herald.yaml
	install -m 0644 Crawls/*.yaml $(DESTDIR)/etc/herald/crawls/
	install -d $(DESTDIR)/etc/systemd/system
	for u in systemd/*.service systemd/*.timer; do \
	  sed 's#/usr/local/#$(PREFIX)/#g' $$u > $(DESTDIR)/etc/systemd/system/$$(basename $$u); \
	done
	install -D -m 0644 systemd/herald.sysusers $(DESTDIR)/etc/sysusers.d/herald.conf
	install -D -m 0644 systemd/herald.tmpfiles $(DESTDIR)/etc/tmpfiles.d/herald.conf
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/herald/README.md
	[ -n "$(DESTDIR)" ] || systemd-sysusers /etc/sysusers.d/herald.conf
	[ -n "$(DESTDIR)" ] || systemd-tmpfiles --create /etc/tmpfiles.d/herald.conf
	[ -n "$(DESTDIR)" ] || ! [ -d /run/systemd/system ] || systemctl daemon-reload

clean:
	rm -rf .build var
