#!/usr/bin/env bash
# Builds the Arcturus image from the Maven build.
#   ops/docker/build-image.sh [tag]            # default tag arcturus:dev
# BASE (env) chooses the base image; unset, the official eclipse-temurin:17-jre is used when the engine already has
# it, else a base is imported from this host's JDK (import-local-base.sh): no registry needed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TAG=${1:-arcturus:dev}
cd "$ROOT"

if [ ! -f launcher/target/classpath.txt ] || [ ! -f launcher/target/classes/dev/arcturus/launcher/ArcturusCommand.class ]; then
  ./mvnw -q -B -DskipTests install
fi
if [ -z "${BASE:-}" ]; then
  if docker image inspect eclipse-temurin:17-jre >/dev/null 2>&1; then
    BASE=eclipse-temurin:17-jre
  else
    BASE=arcturus/jre-base:local
    docker image inspect "$BASE" >/dev/null 2>&1 || "$ROOT/ops/docker/import-local-base.sh" "$BASE"
  fi
fi

CONTEXT=$(mktemp -d)
trap 'rm -rf "$CONTEXT"' EXIT
mkdir -p "$CONTEXT/lib"
( cd launcher/target/classes && jar --create --file "$CONTEXT/lib/arcturus-launcher.jar" . )
tr ":" "\n" < launcher/target/classpath.txt | while read -r jar || [ -n "$jar" ]; do
  [ -n "$jar" ] && cp "$jar" "$CONTEXT/lib/"
done
cp ops/docker/Dockerfile ops/docker/arcturus.sh "$CONTEXT/"
docker build --quiet --build-arg "BASE=$BASE" --tag "$TAG" "$CONTEXT" >/dev/null
echo "$TAG (base $BASE)"
