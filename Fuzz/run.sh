#!/bin/bash
# Runs each fuzz target for FUZZ_SECONDS on var/fuzz/<target>, prints its executions and corpus
# size, adds them to var/fuzz/executions.tsv (target, executions, seconds, date), and exits 1
# at the first target that found a crash, hang or leak (its input is var/fuzz/<target>-*).
set -euo pipefail
seconds=${FUZZ_SECONDS:-60}
targets=${*:-fuzz-extract fuzz-feed fuzz-sitemap fuzz-robots fuzz-url fuzz-config fuzz-logline}
Fuzz/seed-corpora.sh var/fuzz
for t in $targets; do
    log=var/fuzz/$t.log
    status=0
    LSAN_OPTIONS=suppressions=Fuzz/lsan.supp Fuzz/.build/release/$t var/fuzz/$t -artifact_prefix=var/fuzz/$t- -max_total_time="$seconds" \
        -timeout=2 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    printf '%s\t%s\t%s\t%s\n' "$t" "${runs:-0}" "$seconds" "$(date -u +%FT%TZ)" >> var/fuzz/executions.tsv
    printf '%-14s %10s executions in %ss, corpus %s inputs\n' "$t" "${runs:-0}" "$seconds" "$(ls var/fuzz/$t | wc -l)"
    if [ "$status" != 0 ]; then
        grep -E "ERROR|Fatal error|panic|SUMMARY" "$log" | head -5
        ls var/fuzz/$t-* 2>/dev/null
        exit 1
    fi
done
