#!/bin/sh
# Entry point of the Arcturus image: the launcher with every jar of the distribution on its classpath.
#   arcturus <subcommand> ...        e.g. gateway, app liveness, sink mysql, connector, init
#   arcturus healthcheck [url]       exit 0 when the process's /healthz answers (JDK only; any base image)
JAVA="${JAVA_HOME:-/opt/java/openjdk}/bin/java"
[ -x "$JAVA" ] || JAVA=java
if [ "${1:-}" = "healthcheck" ]; then
  exec "$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp /opt/arcturus/lib/arcturus-launcher.jar \
    dev.arcturus.launcher.serve.HealthProbe "${2:-http://127.0.0.1:${ARCTURUS_METRICS_PORT:-9464}/healthz}"
fi
# Size the heap from the container limit; die (and be restarted) rather than limp on after an OutOfMemoryError.
exec "$JAVA" -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError ${ARCTURUS_JAVA_OPTS:-} \
  -cp '/opt/arcturus/lib/*' dev.arcturus.launcher.ArcturusCommand "$@"
