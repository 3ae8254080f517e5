#!/bin/bash
# Runs each fuzz target on var/fuzz/<target> for FUZZ_SECONDS, or until FUZZ_RUNS executions when
# that is set and comes first; prints its executions and corpus size, adds them to
# var/fuzz/executions.tsv (target, executions, seconds taken, date), and exits 1 at the first target that found a crash, hang (> 2 s on one input) or leak; its input is kept
# as var/fuzz/<target>-crash-*, -timeout-* or -leak-*. A timeout that does not happen again
# when its input is re-run alone was the machine being busy, not a hang: it is dropped, noted,
# and fuzzing goes on for the rest of the time.
set -euo pipefail
seconds=${FUZZ_SECONDS:-60}
max_runs=${FUZZ_RUNS:-0}
targets=${*:-fuzz-extract fuzz-feed fuzz-sitemap fuzz-robots fuzz-url fuzz-config fuzz-logline fuzz-control}
export LSAN_OPTIONS=suppressions=Fuzz/lsan.supp
# Wall time per input (libFuzzer's -timeout) measures the neighbours too on a busy machine, so a
# timeout is confirmed by the CPU time (user + system, ms) of the input run alone: a hang is one
# that needs 2 s of CPU, startup included.
cpu_ms() {
    ( "$1" -timeout=600 "$2" >/dev/null 2>&1; times ) | tail -1 |
        awk '{ ms = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); ms += (p[1] * 60 + p[2]) * 1000 }; printf "%d", ms }'
}
Fuzz/seed-corpora.sh var/fuzz
for t in $targets; do
    binary=Fuzz/.build/release/$t
    log=var/fuzz/$t.log
    : > "$log"
    start=$(date +%s) runs=0 status=0
    while true; do
        left=$(( seconds - ($(date +%s) - start) ))
        [ "$left" -gt 0 ] || break
        runs_left=-1
        if [ "$max_runs" -gt 0 ]; then
            runs_left=$(( max_runs - runs ))
            [ "$runs_left" -gt 0 ] || break
        fi
        status=0
        "$binary" var/fuzz/$t -artifact_prefix=var/fuzz/$t- -max_total_time="$left" -runs="$runs_left" -timeout="${FUZZ_TIMEOUT:-2}" \
            -rss_limit_mb=2048 -print_final_stats=1 >>"$log" 2>&1 || status=$?
        runs=$(( runs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1) ))
        sed -i 's/^stat::number_of_executed_units:/counted::number_of_executed_units:/' "$log"
        [ "$status" = 0 ] && break
        timeout=$(ls var/fuzz/$t-timeout-* 2>/dev/null | head -1)
        if [ -n "$timeout" ] && [ "$(ls var/fuzz/$t-* | wc -l)" = 1 ] && [ "$(cpu_ms "$binary" "$timeout")" -lt 2000 ]; then
            echo "$t: $(basename "$timeout") takes $(cpu_ms "$binary" "$timeout") ms of CPU alone: the machine was busy, not a hang; dropped" | tee -a "$log"
            rm -f "$timeout"
            status=0
            continue
        fi
        break
    done
    took=$(( $(date +%s) - start ))
    printf '%s\t%s\t%s\t%s\n' "$t" "$runs" "$took" "$(date -u +%FT%TZ)" >> var/fuzz/executions.tsv
    printf '%-14s %10s executions in %ss, corpus %s inputs\n' "$t" "$runs" "$took" "$(ls var/fuzz/$t | wc -l)"
    if [ "$status" != 0 ]; then
        grep -E "ERROR|Fatal error|panic|SUMMARY" "$log" | head -5
        ls var/fuzz/$t-* 2>/dev/null
        exit 1
    fi
done
