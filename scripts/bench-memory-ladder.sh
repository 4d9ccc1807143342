#!/usr/bin/env bash
# Benchmark (not a test): the memory hierarchy under a session store. One session saved and loaded back, one
# at a time, on each rung: the JVM heap, Redis in memory, Redis with appendfsync always, a file in the page
# cache (disk mode's default), a file forced to the device (session.store.fsync=true). Latency p50/p99 and
# CPU per save+load (/proc), rounds interleaved. About 1 minute.
# Knobs: BENCH_ROUNDS (5), BENCH_SECONDS (2), BENCH_PAYLOAD (1024 bytes). Writes
# sessionctl/target/bench/memory-ladder.json and .md and copies the .md to docs/memory-ladder.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q verify -Pbench -DskipITs -pl sessionctl -am -Dtest='MemoryLadderBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.seconds="${BENCH_SECONDS:-2}" -Dbench.payload="${BENCH_PAYLOAD:-1024}"
cp sessionctl/target/bench/memory-ladder.md docs/memory-ladder.md
echo "table: docs/memory-ladder.md"
scripts/results.sh
