#!/usr/bin/env bash
# Benchmark (not a test): what one Redis round trip (an EVALSHA returning a 1 KB session hash, 16 threads)
# costs the calling JVM with Redisson (the redis mode's client), Lettuce, and a blocking connection per
# thread; rounds interleaved; calls per second and CPU per call (/proc). About 1 minute.
# Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (5). Writes sessionctl/target/bench/redis-clients.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q verify -Pbench -pl sessionctl -am -Dtest='RedisClientBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.seconds="${BENCH_SECONDS:-5}"
