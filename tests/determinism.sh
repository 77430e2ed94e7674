#!/bin/sh
# determinism.sh FLTSIM SCENARIO... - every scenario run twice (text and
# JSON report) must give byte-identical output, the stack chart (SVG) and
# the folded stacks included.
set -u
FLTSIM=$1
shift
fail=0
tmp=${TMPDIR:-/tmp}/fltsim-det.$$
mkdir -p "$tmp"
for scn in "$@"; do
    for mode in "" "--json"; do
        # stdout must be identical; stderr too, except for the process id a
        # sanitizer runtime puts in its own warnings ("==1234==WARNING: ...").
        "$FLTSIM" run $mode "$scn" --stack-svg "$tmp/a.svg" --stack-folded "$tmp/a.folded" > "$tmp/a" 2> "$tmp/a.err"
        "$FLTSIM" run $mode "$scn" --stack-svg "$tmp/b.svg" --stack-folded "$tmp/b.folded" > "$tmp/b" 2> "$tmp/b.err"
        sed -E 's/^==[0-9]+==/==PID==/' "$tmp/a.err" >> "$tmp/a"
        sed -E 's/^==[0-9]+==/==PID==/' "$tmp/b.err" >> "$tmp/b"
        # the stack chart and the folded stacks too
        for ext in svg folded; do
            if [ -f "$tmp/a.$ext" ] || [ -f "$tmp/b.$ext" ]; then
                if ! cmp -s "$tmp/a.$ext" "$tmp/b.$ext"; then
                    echo "NOT DETERMINISTIC: $scn --stack-$ext"
                    fail=1
                fi
            fi
            rm -f "$tmp/a.$ext" "$tmp/b.$ext"
        done
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
