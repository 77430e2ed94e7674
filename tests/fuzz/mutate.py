#!/usr/bin/env python3
"""Mutation fuzzing of fltsim scenario scripts (make fuzz).

Takes the scripts under scenarios/, damages a few lines of one at a time
(inserted tokens, cut text, duplicated or deleted lines), and runs each
result with `fltsim run`.  A script may fail - that is its business - but
fltsim itself must answer with exit status 0, 1 or 2 and a clean sanitizer
report: anything else (a signal, a sanitizer error, a timeout) is a defect,
and the script that shows it is kept in the output directory.

usage: mutate.py FLTSIM DRIVERS_DIR [--seed N] [--count N] [--out DIR]
"""
import argparse
import glob
import os
import random
import subprocess
import sys

TOKENS = ['=', '"', '\\', ':', '0x', '-1', '99999999999999999999', 'expect', 'P1:', 'open', 'read', 'map',
          'serve', 'length=', 'offset=', 'dword:', 'byte:', 'port=', '|', '\t', 'machine', 'volume', 'driver',
          'load', 'unload', 'process', 'exit', 'copy', 'h', 'x' * 300, '#', 'stack=', 'verifier=', 'latency=',
          '\\\\a\\b', 'C:', 'param', 'instance', 'advance', 'file', '\xff', '\u00e9']


def mutate(rng, text):
    lines = text.split('\n')
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        line = lines[i]
        op = rng.random()
        if op < 0.3 and line:
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + rng.choice(TOKENS) + line[j:]
        elif op < 0.5 and line:
            j = rng.randrange(len(line))
            k = rng.randrange(j, len(line) + 1)
            lines[i] = line[:j] + line[k:]
        elif op < 0.7:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
        elif op < 0.85:
            del lines[i]
        else:
            lines[i] = ' '.join(rng.choice(TOKENS) for _ in range(rng.randint(1, 6)))
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('fltsim')
    ap.add_argument('drivers')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--out', default='build-san/fuzz')
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sources = sorted(glob.glob(os.path.join(os.path.dirname(__file__), '..', '..', 'scenarios', '*.scn')))
    os.makedirs(a.out, exist_ok=True)
    env = dict(os.environ, FLTSIM_DRIVERS=a.drivers)
    case = os.path.join(a.out, 'case.scn')
    defects = 0
    for n in range(a.count):
        with open(rng.choice(sources), encoding='utf-8', errors='replace') as f:
            text = mutate(rng, f.read())
        with open(case, 'w', encoding='utf-8', errors='replace') as f:
            f.write(text)
        why = None
        try:
            r = subprocess.run([a.fltsim, 'run', case], capture_output=True, env=env, timeout=30)
            if r.returncode not in (0, 1, 2):
                why = 'exit status %d' % r.returncode
            elif b'ERROR: AddressSanitizer' in r.stderr or b'runtime error:' in r.stderr \
                    or b'ERROR: LeakSanitizer' in r.stderr:
                why = 'sanitizer report'
        except subprocess.TimeoutExpired:
            why = 'timed out'
        if why:
            defects += 1
            keep = os.path.join(a.out, 'defect-%d-%d.scn' % (a.seed, n))
            with open(keep, 'w', encoding='utf-8', errors='replace') as f:
                f.write(text)
            print('DEFECT %s: %s' % (keep, why))
    print('fuzz: %d scripts, %d defects (seed %d)' % (a.count, defects, a.seed))
    return 1 if defects else 0


if __name__ == '__main__':
    sys.exit(main())
