#!/usr/bin/env bash
# Imports a minimal Java base image from this host, for machines that reach no image registry:
# a jlink'ed Java 17 runtime (the modules Arcturus uses) at /opt/java/openjdk, the shared libraries it and RocksDB's
# JNI library load, busybox (sh, wget, nc) and an unprivileged user 10001.
#   ops/docker/import-local-base.sh [tag]      # default arcturus/jre-base:local
set -euo pipefail
TAG=${1:-arcturus/jre-base:local}
JDK=${JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
[ -d "$JDK/jmods" ] || { echo "import-local-base: $JDK has no jmods; set JDK to a full JDK 17+" >&2; exit 1; }
BUSYBOX=$(command -v busybox || echo /bin/busybox)
[ -x "$BUSYBOX" ] || { echo "import-local-base: needs busybox (Debian busybox-static)" >&2; exit 1; }

ROOTFS=$(mktemp -d)
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS"/{bin,tmp,etc,opt/java,var/lib/arcturus}
chmod 1777 "$ROOTFS/tmp"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --output "$ROOTFS/opt/java/openjdk" --strip-debug --no-man-pages \
  --no-header-files --compress=2 --add-modules java.se,jdk.httpserver,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.jfr,jdk.net
# Libraries the runtime links to, plus what RocksDB's and Netty's JNI libraries load at run time.
{
  find "$ROOTFS/opt/java/openjdk" -name '*.so' -o -path '*/bin/*' -type f | xargs ldd 2>/dev/null \
    | awk '/=>/ {print $3} /ld-linux/ {print $1}'
  for lib in libstdc++.so.6 libgcc_s.so.1 libz.so.1 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libnss_files.so.2 libresolv.so.2; do
    ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}'
  done
} | grep '^/' | sort -u | while read -r lib; do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
[ -e "$ROOTFS/lib64" ] || { mkdir -p "$ROOTFS/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$ROOTFS/lib64/"; }
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in sh wget nc ls cat env; do ln -sf busybox "$ROOTFS/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\narcturus:x:10001:10001:arcturus:/var/lib/arcturus:/bin/sh\n' > "$ROOTFS/etc/passwd"
printf 'root:x:0:\narcturus:x:10001:\n' > "$ROOTFS/etc/group"
printf 'hosts: files dns\n' > "$ROOTFS/etc/nsswitch.conf"
chown 10001:10001 "$ROOTFS/var/lib/arcturus"
tar -C "$ROOTFS" -c . | docker import -c 'ENV PATH=/opt/java/openjdk/bin:/bin JAVA_HOME=/opt/java/openjdk' - "$TAG" >/dev/null
echo "imported $TAG"
