#!/usr/bin/env bash
# Prepares the real services the test suite uses, idempotently and quickly when they are already there:
#   MariaDB (Debian package)  -> database arcturus_test, user arcturus, on 127.0.0.1:3306
#   dockerd (Debian docker.io) -> with a locally imported test image (no image registry is reachable)
#   Azurite (npm)              -> Azure Blob emulator on 127.0.0.1:10000
# Writes the connection settings to .arcturus/test-env/env for the tests. Fails loudly when a service
# cannot be had; it never lets the suite run without one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE="$ROOT/.arcturus/test-env"
TOOLS="$ROOT/.arcturus/tools"
mkdir -p "$STATE" "$TOOLS"

AZURITE_VERSION=3.37.0
TEST_IMAGE=arcturus/busybox:test
DB_NAME=arcturus_test
DB_USER=arcturus
DB_PASSWORD=arcturus-test
AZURITE_PORT=10000

say() { printf '[test-env] %s\n' "$*"; }
die() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what did not come up within ${seconds}s"
}

install_debian_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || missing+=(busybox-static)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # npm: Azurite comes from npm, and the build installs the dashboard's browser libraries with `npm ci`.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  # The dashboard's end-to-end test: headless Chromium driven through chromedriver (both Debian's; no downloads).
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # docker-compose.yaml is validated with Debian's docker-compose (`docker-compose config`).
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  # Prometheus's promtool checks ops/prometheus (config and alert rules).
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  say "installing Debian packages: ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "installing ${missing[*]} needs root (apt-get)"
  apt-get update -qq || die "apt-get update failed: Debian's package mirror is unreachable"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "$STATE/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed; see $STATE/apt.log"
}

mariadb_ping() { mariadb-admin --protocol=socket -uroot ping; }

# The MySQL change capture (sinks, mysql.cdc) reads the row-based binary log.
mariadb_binlog_on() {
  [ "$(mariadb --protocol=socket -uroot -N -e "SELECT @@log_bin, @@binlog_format, @@binlog_row_image" 2>/dev/null)" \
    = "$(printf '1\tROW\tFULL')" ]
}

start_mariadb() {
  if mariadb_ping >/dev/null 2>&1 && ! mariadb_binlog_on; then
    say "restarting MariaDB with its row-based binary log on"
    mariadb-admin --protocol=socket -uroot shutdown || die "cannot stop MariaDB to turn its binary log on"
  fi
  if ! mariadb_ping >/dev/null 2>&1; then
    say "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    if [ ! -d /var/lib/mysql/mysql ]; then
      mariadb-install-db --user=mysql --datadir=/var/lib/mysql > "$STATE/mariadb-install.log" 2>&1 \
        || die "mariadb-install-db failed; see $STATE/mariadb-install.log"
    fi
    nohup /usr/sbin/mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=127.0.0.1 --port=3306 \
      --socket=/run/mysqld/mysqld.sock --server-id=1 --log-bin=mariadb-bin --binlog-format=ROW \
      --binlog-row-image=FULL --expire-logs-days=1 > "$STATE/mariadb.log" 2>&1 &
    wait_for "MariaDB" 60 mariadb_ping
  fi
  mariadb --protocol=socket -uroot <<SQL || die "cannot create the test database and user"
CREATE DATABASE IF NOT EXISTS ${DB_NAME};
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${DB_NAME}%\`.* TO '${DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DB_NAME}%\`.* TO '${DB_USER}'@'localhost';
-- Change capture: read the binary log (and list databases/tables for its schema snapshot).
GRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, RELOAD, SHOW DATABASES ON *.* TO '${DB_USER}'@'127.0.0.1';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, RELOAD, SHOW DATABASES ON *.* TO '${DB_USER}'@'localhost';
FLUSH PRIVILEGES;
SQL
  mariadb -h127.0.0.1 -P3306 -u"$DB_USER" -p"$DB_PASSWORD" -e 'SELECT 1' "$DB_NAME" >/dev/null \
    || die "MariaDB is up but ${DB_USER}@127.0.0.1 cannot log in"
}

docker_ok() { docker info; }

start_dockerd() {
  if ! docker_ok >/dev/null 2>&1; then
    say "starting dockerd"
    nohup /usr/sbin/dockerd --host=unix:///var/run/docker.sock > "$STATE/dockerd.log" 2>&1 &
    wait_for "dockerd" 60 docker_ok
  fi
  if ! docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
    say "importing test image $TEST_IMAGE from busybox-static"
    local rootfs="$STATE/busybox-rootfs" busybox
    busybox=$(command -v busybox || echo /bin/busybox)
    rm -rf "$rootfs" && mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/artifacts"
    cp "$busybox" "$rootfs/bin/busybox"
    for applet in sh echo cat sleep ls env true false printf mkdir rm sh wc head tail date; do
      ln -sf busybox "$rootfs/bin/$applet"
    done
    tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$TEST_IMAGE" >/dev/null \
      || die "docker import of $TEST_IMAGE failed"
  fi
  [ "$(docker run --rm --network none "$TEST_IMAGE" echo container-ok 2>&1)" = container-ok ] \
    || die "dockerd cannot run a container from $TEST_IMAGE; see $STATE/dockerd.log"
}

azurite_ok() { curl -s -o /dev/null "http://127.0.0.1:${AZURITE_PORT}/devstoreaccount1?comp=list"; }

start_azurite() {
  local bin="$TOOLS/node_modules/.bin/azurite-blob"
  if [ ! -x "$bin" ]; then
    say "installing Azurite $AZURITE_VERSION from npm"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "azurite@${AZURITE_VERSION}" \
      > "$STATE/npm.log" 2>&1 || die "npm install azurite failed; see $STATE/npm.log"
  fi
  if ! azurite_ok; then
    say "starting Azurite"
    mkdir -p "$STATE/azurite"
    nohup "$bin" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --location "$STATE/azurite" \
      --skipApiVersionCheck --loose > "$STATE/azurite.log" 2>&1 &
    wait_for "Azurite" 60 azurite_ok
  fi
}

# Values are single-quoted: the file is sourced by ./arcturus test, and a connection string holds ';'.
write_env() {
  # Azurite's well-known development account; it is public and only valid against the local emulator.
  local key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  cat > "$STATE/env" <<ENV
ARCTURUS_TEST_JDBC_URL=jdbc:mysql://127.0.0.1:3306/${DB_NAME}
ARCTURUS_TEST_JDBC_USER=${DB_USER}
ARCTURUS_TEST_JDBC_PASSWORD=${DB_PASSWORD}
ARCTURUS_TEST_DOCKER_HOST=unix:///var/run/docker.sock
ARCTURUS_TEST_DOCKER_IMAGE=${TEST_IMAGE}
ARCTURUS_TEST_AZURITE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=http://127.0.0.1:${AZURITE_PORT}/devstoreaccount1;'
ENV
}

started=$(date +%s)
install_debian_packages
start_mariadb
start_dockerd
start_azurite
write_env
say "ready in $(( $(date +%s) - started ))s: MariaDB 127.0.0.1:3306/${DB_NAME}, dockerd with ${TEST_IMAGE}, Azurite 127.0.0.1:${AZURITE_PORT} (settings in .arcturus/test-env/env)"
