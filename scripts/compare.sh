#!/usr/bin/env bash
# The comparison: every session mode and balancer policy on 2, 3, 4, 6 and 8 nodes under the same load;
# writes report/{results.json,results.csv,index.html}. About 10 minutes on 2 cores; --quick for a
# 2-minute look. Every option of `sessionctl compare` passes through (see --help).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sessionctl" compare "$@"
