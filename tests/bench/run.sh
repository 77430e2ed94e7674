#!/bin/sh
# run.sh FLTSIM BUILD - speed benchmark (never part of `make test`): how
# long a batch of scenario runs takes, and the peak memory of one run.
set -eu
FLTSIM=$1
BUILD=$2
N=${FLTSIM_BENCH_RUNS:-50}
export FLTSIM_DRIVERS=$BUILD/drivers
start=$(date +%s%N 2>/dev/null || date +%s)
i=0
while [ $i -lt "$N" ]; do
    "$FLTSIM" run scenarios/localfs-basics.scn > /dev/null
    i=$((i + 1))
done
end=$(date +%s%N 2>/dev/null || date +%s)
echo "localfs-basics.scn: $N runs in $(( (end - start) / 1000000 )) ms"
if command -v /usr/bin/time > /dev/null 2>&1; then
    /usr/bin/time -f "peak RSS of one run: %M KiB" "$FLTSIM" run scenarios/localfs-basics.scn > /dev/null
fi
