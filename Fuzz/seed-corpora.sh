#!/bin/sh
# Fills var/fuzz/<target>/ with seed inputs the first time: the small seeds in Fuzz/seeds, the
# shipped configuration and crawl definitions, and every 25th page of the shared corpus.
set -eu
out=${1:-var/fuzz}
corpus=${CORPUS:-../shared/corpus}
for target in fuzz-extract fuzz-feed fuzz-sitemap fuzz-robots fuzz-url fuzz-config fuzz-logline fuzz-control; do
    dir="$out/$target"
    [ -d "$dir" ] && continue
    mkdir -p "$dir"
    [ -d "Fuzz/seeds/$target" ] && cp Fuzz/seeds/$target/* "$dir"/
done
if [ -z "$(ls -A "$out/fuzz-config")" ]; then
    cp Config/herald.yaml "$out/fuzz-config/"
    for f in Crawls/*.yaml; do cp "$f" "$out/fuzz-config/crawl-$(basename "$f")"; done
fi
if [ -z "$(ls -A "$out/fuzz-extract")" ] && [ -d "$corpus" ]; then
    find "$corpus" -name '*.html' | sort | awk 'NR % 25 == 1' | while read -r page; do
        cp "$page" "$out/fuzz-extract/$(echo "$page" | md5sum | cut -c1-16).html"
    done
fi
