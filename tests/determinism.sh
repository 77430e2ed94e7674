#!/bin/sh
# determinism.sh FLTSIM SCENARIO... - every scenario run twice (text and
# JSON report) must give byte-identical output.
set -u
FLTSIM=$1
shift
fail=0
tmp=${TMPDIR:-/tmp}/fltsim-det.$$
mkdir -p "$tmp"
for scn in "$@"; do
    for mode in "" "--json"; do
        "$FLTSIM" run $mode "$scn" > "$tmp/a" 2>&1
        "$FLTSIM" run $mode "$scn" > "$tmp/b" 2>&1
        if ! cmp -s "$tmp/a" "$tmp/b"; then
            echo "NOT DETERMINISTIC: $scn $mode"
            diff "$tmp/a" "$tmp/b" | head -20
            fail=1
        fi
    done
done
rm -rf "$tmp"
[ $fail = 0 ] && echo "determinism: $# scenarios, identical output on repeated runs"
exit $fail
