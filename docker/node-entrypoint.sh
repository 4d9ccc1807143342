#!/bin/sh
# Starts one node from the shipped cluster-config, with what differs in containers given as overrides:
# the mode (SESSION_MODE), the node count, Redis's address, how delta/backup members find each other
# (CLUSTER_MEMBERSHIP: static list or dns), and node.host={name} (each node is reached
# by its own DNS name: the compose service or the Kubernetes pod's stable name).
set -eu
exec java $JAVA_OPTS -cp /app/sessionctl.jar org.sessioncluster.node.NodeMain \
  --config /app/cluster-config/cluster.properties \
  --name "$NODE_NAME" \
  --war /app/session-webapp.war \
  --work-dir "/app/work/$NODE_NAME" \
  --set "session.mode=$SESSION_MODE" \
  --set "nodes=$NODES" \
  --set "node.host={name}" \
  --set "redis.address=$REDIS_ADDRESS" \
  --set "cluster.membership=$CLUSTER_MEMBERSHIP" \
  "$@"
