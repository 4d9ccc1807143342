#!/usr/bin/env bash
# Benchmark (not a test): what one Redis round trip (an EVALSHA returning a 1 KB session hash) costs the
# calling JVM with Redisson (the redisson mode's client), Lettuce (spring-session's) and Jedis (the redis
# mode's: pooled blocking connections), from 16 threads back to back and from 1 thread (each call alone);
# rounds interleaved; calls per second and CPU per call (/proc). About 3 minutes.
# Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (5). Writes sessionctl/target/bench/redis-clients.json and .md and
# copies the .md to docs/redis-clients.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q verify -Pbench -DskipITs -pl sessionctl -am -Dtest='RedisClientBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.seconds="${BENCH_SECONDS:-5}"
cp sessionctl/target/bench/redis-clients.md docs/redis-clients.md
echo "table: docs/redis-clients.md"
scripts/results.sh
