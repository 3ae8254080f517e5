#!/bin/bash
# Offline first look (`make demo`): serves the bundled test news site on 127.0.0.1, crawls it with
# the release binary into var/demo, prints three of the records it delivered and the run's log,
# and stops the server. Needs nothing but python3 and the build; no network beyond loopback.
set -euo pipefail
herald=${HERALD:-.build/release/herald}
demo=var/demo
rm -rf "$demo"
mkdir -p "$demo/site"

# The test site prints its port, then serves until its stdin closes.
coproc SITE { exec python3 Tests/HeraldTestSupport/Resources/testsite.py --root "$demo/site" --max-seconds 600; }
read -r port <&"${SITE[0]}"
stop() { exec {SITE[1]}>&- 2>/dev/null || true; wait "$SITE_PID" 2>/dev/null || true; }
trap stop EXIT
base="http://127.0.0.1:$port"
python3 Tests/HeraldTestSupport/Resources/newssite.py --out "$demo/site" --base "$base" --articles 24 \
    --corpus "${CORPUS:-../shared/corpus}" >/dev/null

cat > "$demo/herald.yaml" <<YAML
spool_dir: spool
state_dir: state
log_dir: log
crawls_dir: crawls
allow_private_networks: true   # the demo site is on 127.0.0.1
per_host_delay: 0s
YAML
mkdir -p "$demo/crawls"
cat > "$demo/crawls/demo.yaml" <<YAML
start: [$base/]
feeds: [$base/feeds/world.rss]
articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html\$']}
politeness: {per_host_concurrency: 4, per_host_delay: 0s}
YAML

echo "== herald crawl demo   (site: $base, everything under $demo/)"
"$herald" crawl --config "$demo/herald.yaml" demo
echo
echo "== three of the records in $demo/spool/new/"
for f in $(ls "$demo/spool/new" | head -3); do
    python3 - "$demo/spool/new/$f" <<'PY'
import json, sys, textwrap
r = json.load(open(sys.argv[1]))
print(f"{r['title']}\n  {r['url']}\n  by {', '.join(r.get('authors') or []) or '-'}, published {r.get('published')}, {len(r['body'].split())} words")
print(textwrap.indent(textwrap.shorten(r['body'], 220), "  "))
PY
done
echo
echo "== herald logs"
"$herald" logs --log-dir "$demo/log"
