#!/usr/bin/env bash
# Benchmark (not a test): the same bounded load against the same 3 nodes through the embedded balancer
# and through HAProxy, alternating rounds in one run, with the nodes directly as the baseline.
# Needs wrk and haproxy (apt-get install wrk haproxy); perf (apt-get install linux-perf) for syscalls per request. Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (8),
# BENCH_CONNECTIONS (16), BENCH_LATENCY_SECONDS (4: each round of one connection). Prints the ratios; writes sessionctl/target/bench/balancer.json and .md, and copies the
# .md to docs/balancer.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for tool in wrk haproxy; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bench-balancer: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
./mvnw -B -q verify -Pbench -DskipITs -pl sessionctl -am -Dtest='BalancerBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.seconds="${BENCH_SECONDS:-8}" -Dbench.connections="${BENCH_CONNECTIONS:-16}" \
  -Dbench.latency.seconds="${BENCH_LATENCY_SECONDS:-4}"
cp sessionctl/target/bench/balancer.md docs/balancer.md
echo "table: docs/balancer.md"
scripts/results.sh
