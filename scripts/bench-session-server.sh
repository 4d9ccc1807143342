#!/usr/bin/env bash
# Benchmark (not a test): the session server against local memory. Seven 3-node clusters behind the
# balancer, side by side with the full JIT: local+sticky; redis (this project's manager) and redisson
# (Redisson's) behind sticky and behind round-robin; redis on a Redis Cluster (3+3) and spring-session,
# behind sticky. The same wrk load on each (48 users, 9 reads : 1 write), each cluster warmed until its
# CPU per request stops falling, rounds interleaved. Prints throughput and its ratio to local+sticky, p50, node and Redis CPU per
# request (/proc) and Redis commands per request (MONITOR). Needs wrk (apt-get install wrk).
# Knobs: BENCH_ROUNDS (5), BENCH_SECONDS (8), BENCH_CONNECTIONS (16), BENCH_WARMUP_MAX (40 runs of 5 s),
# BENCH_SCENARIOS (comma-separated names, e.g. local+sticky,redis+sticky; default all: then the table is
# also copied to docs/).
# Writes sessionctl/target/bench/session-server.json and .md, and copies the .md to docs/session-server.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v wrk >/dev/null 2>&1 || { echo "bench-session-server: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
./mvnw -B -q verify -Pbench -DskipITs -pl sessionctl -am -Dtest='SessionServerBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.seconds="${BENCH_SECONDS:-8}" -Dbench.connections="${BENCH_CONNECTIONS:-16}" -Dbench.warmup.max="${BENCH_WARMUP_MAX:-40}" \
  -Dbench.scenarios="${BENCH_SCENARIOS:-}"
if [ -z "${BENCH_SCENARIOS:-}" ]; then
  cp sessionctl/target/bench/session-server.md docs/session-server.md
  echo "table: docs/session-server.md"
  scripts/results.sh
else
  echo "table: sessionctl/target/bench/session-server.md (a subset of the scenarios: docs/ left as it was)"
fi
