#!/usr/bin/env bash
# Lays out stock Tomcat instances (one CATALINA_BASE per node) that run the WAR in the session mode of
# cluster-config/cluster.properties. Fetches the stock distribution (org.apache.tomcat:tomcat zip, the
# version in pom.xml) from Maven once, into run/tomcat-dist/.
# Usage: scripts/install-tomcat.sh [--mode delta|backup|redis|redisson|local] [--nodes N] [--out run/tomcat] [--set KEY=VALUE ...]
#        (any option of: scripts/sessionctl tomcat-base --help)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case "${1:-}" in -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
version="$(sed -n 's:.*<tomcat.dist.version>\(.*\)</tomcat.dist.version>.*:\1:p' pom.xml)"
dist=run/tomcat-dist
home="$dist/apache-tomcat-$version"
if [ ! -x "$home/bin/catalina.sh" ]; then
  echo "install-tomcat: fetching Apache Tomcat $version (org.apache.tomcat:tomcat:$version:zip)" >&2
  mkdir -p "$dist"
  ./mvnw -q -B dependency:copy -Dartifact="org.apache.tomcat:tomcat:$version:zip" -DoutputDirectory="$dist"
  (cd "$dist" && jar xf "tomcat-$version.zip")
  chmod +x "$home"/bin/*.sh
fi
exec scripts/sessionctl tomcat-base --home "$home" "$@"
