#!/usr/bin/env bash
# A soak per session mode: a fresh 3-node cluster each for delta, backup and redis; 10 minutes of load through
# the balancer while nodes are SIGKILLed and restarted at random moments drawn from --seed (one at a time:
# 20-60 s apart, 2-10 s down). Prints requests, failed requests, failed GETs, lost and stale sessions, peak
# and live heap per node and the live heap's trend; writes report/soak/{results.json,index.html}. About 33
# minutes; exit code 3 when a goal (0 lost, 0 stale, 0 failed GETs, no live heap growth) is missed. Every option of `sessionctl soak` passes
# through (see --help), e.g. --modes redis --duration 2m --seed 7.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sessionctl" soak "$@"
