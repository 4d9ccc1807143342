#!/usr/bin/env bash
# A node crash under load, per session mode: a fresh 3-node cluster each for local, delta, backup and
# redis; node-1 gets SIGKILL 6 s into a 20 s load and is restarted 6 s later. Prints failed requests,
# failed GETs, sessions lost and how fast the balancer stopped routing to it; writes
# report/failover/{results.json,index.html}. About 2 minutes. Every option of `sessionctl failover`
# passes through (see --help), e.g. --modes delta --policy round-robin --restart-after 0.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sessionctl" failover "$@"
