#!/usr/bin/env bash
# Builds the self-contained tarball: a jlink runtime image holding only the JDK modules shardgate needs, the launcher
# and the jar, for machines without a JDK. Run by the dist module's Maven build (package phase):
#
#   build-runtime.sh --jdk=JAVA_HOME --jar=shardgate.jar --version=V --man=shardgate.8 --out=DIR
#
# writes DIR/shardgate-V-linux-ARCH.tar.gz, unpacking to shardgate-V/:
#   bin/shardgate  lib/shardgate.jar  runtime/  compat/nutcracker  conf/shardgate.yml  man/shardgate.8  README.md
# The launcher runs runtime/bin/java when runtime/ is there. The image is the building JDK's (its version, its
# platform: a Debian JDK's image also wants the system's libz). DIR/runtime-size.txt records the sizes.
set -euo pipefail

# Which modules: what jdeps finds the jar's classes using (every module, not --print-module-deps' reduced set, in
# which java.sql stands for java.xml too), less the modules only code that shardgate never runs reaches. Every
# module jdeps reports must be in one of the two lists, so a new dependency that needs another module fails this
# build instead of failing at run time in the image.
NEEDED=(
    java.base
    java.logging      # java.util.logging: jackson-databind and Netty's fallback logger refer to it (0.1 MB)
    java.management   # the -d daemon's JVM arguments (RuntimeMXBean), Prometheus JVM metrics
    java.naming       # logback registers its JNDI handlers when logging starts (unused, but loaded)
    java.xml          # logback's configuration machinery (SAX), loaded when logging starts
    jdk.httpserver    # --admin-port: /metrics and /health
    jdk.management    # Prometheus JVM metrics (com.sun.management: GC notifications, process CPU)
    jdk.unsupported   # sun.misc.Signal (SIGHUP, SIGTTIN, SIGTTOU), Netty's Unsafe access
    jdk.jfr           # Netty 4.2 declares JFR events (netty-common): kept so they can never fail to load
)
UNUSED=(
    java.desktop      # java.beans introspection in SnakeYAML and jackson-databind: the config is read as a tree
    java.sql          # jackson-databind's java.sql date types: never (de)serialized
)

jdk="" jar="" version="" man="" out=""
for arg in "$@"; do
    case $arg in
        --jdk=*) jdk=${arg#*=} ;;
        --jar=*) jar=${arg#*=} ;;
        --version=*) version=${arg#*=} ;;
        --man=*) man=${arg#*=} ;;
        --out=*) out=${arg#*=} ;;
        *) echo "build-runtime.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done
for v in jdk jar version man out; do
    [ -n "${!v}" ] || { echo "build-runtime.sh: --$v is required" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
[ -f "$jar" ] || { echo "build-runtime.sh: $jar is missing (build the proxy module first)" >&2; exit 1; }
[ -f "$man" ] || { echo "build-runtime.sh: $man is missing" >&2; exit 1; }
for tool in jdeps jlink; do
    [ -x "$jdk/bin/$tool" ] || { echo "build-runtime.sh: $jdk/bin/$tool not found: build with a JDK" >&2; exit 1; }
done

# --list-deps prints "java.base/sun.security.x509" for a use of a module's internals: the module is what counts
reported=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 17 --list-deps "$jar" | sed 's|^ *||; s|/.*||' | sort -u)
unknown=()
for m in $reported; do
    [[ " ${NEEDED[*]} ${UNUSED[*]} " == *" $m "* ]] || unknown+=("$m")
done
if [ ${#unknown[@]} -gt 0 ]; then
    echo "build-runtime.sh: jdeps reports module(s) ${unknown[*]} that build-runtime.sh does not know:" \
        "add each to NEEDED, or to UNUSED with the reason no code path shardgate runs reaches it" >&2
    exit 1
fi

# JDK 21 renamed the compression levels; --compress=2 (zip) still works there but warns
jdk_major=$("$jdk/bin/jlink" --version | cut -d. -f1)
if [ "$jdk_major" -ge 21 ]; then compress=zip-6; else compress=2; fi

arch=$(uname -m)
name=shardgate-$version
stage=$out/runtime-stage
rm -rf "$stage"
mkdir -p "$stage/$name"/{bin,lib,compat,conf,man}
modules=$(IFS=,; echo "${NEEDED[*]}")
"$jdk/bin/jlink" --add-modules "$modules" --output "$stage/$name/runtime" \
    --strip-debug --no-header-files --no-man-pages --compress="$compress"

install -m 0755 "$repo/bin/shardgate" "$stage/$name/bin/shardgate"
install -m 0644 "$jar" "$stage/$name/lib/shardgate.jar"
ln -s ../bin/shardgate "$stage/$name/compat/nutcracker"
install -m 0644 "$repo/conf/shardgate.yml" "$stage/$name/conf/shardgate.yml"
install -m 0644 "$man" "$stage/$name/man/shardgate.8"
install -m 0644 "$repo/README.md" "$stage/$name/README.md"

# the image runs the jar and reads a config (scripts/package-test.sh runs it serving, with no JDK installed)
check=$("$stage/$name/bin/shardgate" -t -c "$stage/$name/conf/shardgate.yml" 2>&1) \
    || { echo "build-runtime.sh: the image cannot check a config: $check" >&2; exit 1; }

tarball=$out/$name-linux-$arch.tar.gz
# the same bytes for the same inputs: names sorted, owner root, one timestamp (SOURCE_DATE_EPOCH, else the last
# commit's)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -C "$stage" -czf "$tarball" "$name"

image_kb=$(du -sk "$stage/$name/runtime" | cut -f1)
tarball_kb=$(( $(stat -c %s "$tarball") / 1024 ))
{
    echo "modules=$modules"
    echo "jdk=$("$jdk/bin/java" -version 2>&1 | head -n 1)"
    echo "runtime_image_kb=$image_kb"
    echo "tarball_kb=$tarball_kb"
} > "$out/runtime-size.txt"
rm -rf "$stage"
echo "build-runtime.sh: $tarball ($((tarball_kb / 1024)) MB; runtime image $((image_kb / 1024)) MB: $modules)"
