#!/usr/bin/env bash
# A zero-downtime update of the running cluster (start one with `scripts/sessionctl up`): makes a second
# version of the WAR (run/wars/session-webapp-2.0.war) unless --war is given, then rolls it out under a
# load of 8 users and writes report/rollout/{results.json,index.html} (versions served over time).
#   scripts/rolling-update.sh                               # rolling, one node at a time
#   scripts/rolling-update.sh --strategy blue-green --hold 20s
#   scripts/rolling-update.sh --strategy canary --steps 10,50,100
# Every option of `sessionctl rollout` passes through (see --help).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
args=("$@")
if [[ " ${args[*]} " != *" --war "* ]]; then
  "$here/sessionctl" make-war --app-version 2.0 --out run/wars/session-webapp-2.0.war
  args+=(--war run/wars/session-webapp-2.0.war)
fi
if [[ " ${args[*]} " != *" --strategy "* ]]; then
  args+=(--strategy rolling)
fi
if [[ " ${args[*]} " != *" --users "* ]]; then
  args+=(--users 8)
fi
exec "$here/sessionctl" rollout "${args[@]}"
