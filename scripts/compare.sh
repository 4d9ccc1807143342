#!/usr/bin/env bash
# The comparison: every session mode and balancer policy on 2, 4 and 8 nodes under the same load, clusters
# side by side in alternating rounds, cluster CPU per request from /proc; writes
# report/{results.json,results.csv,index.html}. About 12 minutes on 2 cores; --quick for a 3-minute look.
# Every option of `sessionctl compare` passes through (see --help).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sessionctl" compare "$@"
