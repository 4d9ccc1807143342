#!/usr/bin/env bash
# Runs virtual users against the running cluster (start one with scripts/sessionctl up) and writes
# report/load/{results.json,results.csv,index.html}. Every option of `sessionctl load` passes through:
#   scripts/load.sh --users 32 --duration 60s --items 3 --payload 2048 --client ribbon
# Exit code 4 when some requests failed.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sessionctl" load "$@"
