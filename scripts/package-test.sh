#!/usr/bin/env bash
# Installs what the Maven build packaged (dist/target) on this Debian machine and runs it as an operator would;
# scripts/test.sh runs it after `mvn verify`. Needs root: it installs the .deb system-wide and purges it again.
#
# The .deb: dpkg -i; the files, conffiles, user, man page and unit are checked; the config is replaced by one that
# points at a memcached this script starts on a free loopback port; the service starts (systemctl where systemd
# runs, else the unit's ExecStartPre/ExecStart run here as the unit says: as its user, no new privileges, no
# capabilities, a private /tmp, /home hidden, the system read-only but for the unit's directories); the stats
# port, a get through the proxy, /health and /metrics are checked; logrotate rotates the log (the service reopens
# it on SIGHUP), the service reloads and stops; dpkg -r keeps the conffiles, dpkg --purge leaves nothing of the
# package behind.
# The tarball: unpacked and run with every JDK of this machine hidden (/usr/lib/jvm under an empty tmpfs), as a
# -d daemon; it must serve from its own runtime.
#
# Everything listens on 127.0.0.1 only; every process is stopped by the pid this script started or read from a pid
# file it asked for. One run at a time per machine (a lock), since the package is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

passed=0
ok() { passed=$((passed + 1)); echo "package-test: ok: $*"; }
fail() {
    echo "package-test: FAIL: $*" >&2
    for f in "${work:-/nonexistent}/service.out" /var/log/shardgate/shardgate.log "${work:-/nonexistent}/tar.log"; do
        [ -s "$f" ] && { echo "--- last lines of $f" >&2; tail -n 20 "$f" >&2; }
    done
    echo "package-test: $passed passed, 1 failed"
    exit 1
}
note() { echo "package-test: $*"; }

[ "$(id -u)" -eq 0 ] || fail "needs root: it installs the .deb with dpkg -i"
for tool in dpkg memcached logrotate unshare setpriv flock systemd-analyze man; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/usr/bin/$tool" ] \
        || fail "$tool is missing (scripts/install-deps.sh installs memcached and logrotate)"
done
shopt -s nullglob
debs=(dist/target/shardgate_*_all.deb)
tarballs=(dist/target/shardgate-*-linux-*.tar.gz)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fail "expected one dist/target/shardgate_*_all.deb, found ${#debs[@]}: run mvn package first"
[ ${#tarballs[@]} -eq 1 ] || fail "expected one dist/target/shardgate-*-linux-*.tar.gz, found ${#tarballs[@]}"
deb=$repo/${debs[0]}
tarball=$repo/${tarballs[0]}

exec 9>/run/lock/shardgate-package-test.lock
flock -w 900 9 || fail "another package test holds /run/lock/shardgate-package-test.lock"

work=$(mktemp -d /tmp/shardgate-package-test.XXXXXX)
chmod 0755 "$work"
mc_pid="" svc_pid="" tar_pid="" installed="" made_policy=""
cleanup() {
    local status=$?
    set +e
    for pid in $svc_pid $tar_pid $mc_pid; do
        kill "$pid" 2>/dev/null && wait_gone "$pid" 10
    done
    if [ -n "$installed" ] && dpkg-query -W -f='${Status}' shardgate 2>/dev/null | grep -q installed; then
        [ -d /run/systemd/system ] && systemctl stop shardgate.service 2>/dev/null
        dpkg --purge shardgate >/dev/null 2>&1
    fi
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT

# --- helpers --------------------------------------------------------------------------------------------------

# Waits up to $2 seconds for a pid to exit (it may not be our child, so no `wait`).
wait_gone() {
    local pid=$1 i
    for ((i = 0; i < $2 * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# Free loopback ports below the ephemeral range, so no test's outgoing connection takes one meanwhile.
ports_taken=" "
free_port() {
    local p i
    for ((i = 0; i < 500; i++)); do
        p=$((20000 + RANDOM % 10000))
        [[ $ports_taken == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            ports_taken+="$p "
            printf -v "$1" '%s' "$p"
            return 0
        fi
    done
    fail "no free loopback port"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits up to $2 seconds until something accepts on 127.0.0.1:$1.
wait_listening() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        listening "$1" && return 0
        sleep 0.1
    done
    return 1
}

# Sends one memcached request (printf format and args) to port $1 and prints the reply up to a line matching $2 (5 s
# at most), "\r\n" read as "\n" (and the last one dropped by "$(...)").
mc() {
    local port=$1 last=$2 fd line reply=""
    shift 2
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || { echo "(nothing accepts on 127.0.0.1:$port)"; return 0; }
    # shellcheck disable=SC2059 # the format is the request
    printf "$@" >&"$fd"
    while IFS= read -r -t 5 line <&"$fd"; do
        reply+=${line%$'\r'}$'\n'
        [[ ${line%$'\r'} =~ $last ]] && break
    done
    exec {fd}>&-
    printf '%s' "$reply"
}

# What a listener answers to a connection without a request (the stats port), or to an HTTP GET of $2.
read_port() {
    local fd
    exec {fd}<>"/dev/tcp/127.0.0.1/$1" || { echo "(nothing accepts on 127.0.0.1:$1)"; return 0; }
    [ -n "${2:-}" ] && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&"$fd"
    timeout 10 cat <&"$fd" || true
    exec {fd}>&-
}

# Checks that the proxy on $1 serves: a key set in memcached ($2) comes back through the proxy, and a key set
# through the proxy lands in memcached.
check_serves() {
    local proxy=$1 memcached=$2 tag=$3 reply
    reply=$(mc "$memcached" '^(STORED|ERROR|.*_ERROR.*)$' 'set pkg:%s 0 0 5\r\nhello\r\n' "$tag")
    [ "$reply" = STORED ] || fail "memcached did not store pkg:$tag: $reply"
    reply=$(mc "$proxy" '^(END|ERROR|.*_ERROR.*)$' 'get pkg:%s\r\n' "$tag")
    [ "$reply" = $'VALUE pkg:'"$tag"$' 0 5\nhello\nEND' ] || fail "get pkg:$tag through the proxy answered: $reply"
    reply=$(mc "$proxy" '^(STORED|ERROR|.*_ERROR.*)$' 'set via:%s 0 0 3\r\nabc\r\n' "$tag")
    [ "$reply" = STORED ] || fail "set via:$tag through the proxy answered: $reply"
    reply=$(mc "$memcached" '^(END|ERROR)$' 'get via:%s\r\n' "$tag")
    [ "$reply" = $'VALUE via:'"$tag"$' 0 3\nabc\nEND' ] || fail "via:$tag did not reach memcached: $reply"
}

check_stats() {
    local json
    json=$(read_port "$1")
    [[ $json == *'"service": "shardgate"'* || $json == *'"service":"shardgate"'* ]] \
        || fail "the stats port $1 answered: ${json:0:300}"
    [[ $json == *'"pkgtest"'* ]] || fail "the stats JSON has no pool pkgtest: ${json:0:300}"
}

check_admin() {
    local health metrics
    health=$(read_port "$1" /health)
    [[ $health == "HTTP/1.1 200"* || $health == "HTTP/1.0 200"* ]] || fail "/health answered: ${health:0:200}"
    metrics=$(read_port "$1" /metrics)
    [[ $metrics == *'shardgate_server_requests_total{pool="pkgtest"'* ]] \
        || fail "/metrics has no shardgate_server_requests_total for pkgtest"
    # the JVM collectors need java.management and jdk.management: in the jlink image too
    [[ $metrics == *jvm_memory_used_bytes* ]] || fail "/metrics has no JVM metrics"
}

# The value(s) of a key in the installed unit's file, one per line.
unit=/usr/lib/systemd/system/shardgate.service
unit_values() { sed -n "s/^$1=//p" "$unit"; }
unit_value() { unit_values "$1" | tail -n 1; }

# Runs one command line of the unit (ExecStartPre=, ExecStart=, ExecReload=) the way its [Service] section
# says, where systemd does not: its user and group, NoNewPrivileges, no capabilities (CapabilityBoundingSet= is
# empty), its UMask and WorkingDirectory, its EnvironmentFile and Environment, PrivateTmp, ProtectHome, and
# ProtectSystem=strict with ReadWritePaths=, StateDirectory= and RuntimeDirectory= writable. The process keeps
# this shell's pid (each step execs the next), so "$!" of a background call is the service's main pid.
# Not emulated: the seccomp filter, the address families, PrivateDevices and the kernel protections.
run_as_unit() {
    local cmd=$1 rw="" d
    for d in $(unit_values ReadWritePaths); do rw+=" ${d#-}"; done
    for d in $(unit_values StateDirectory); do rw+=" /var/lib/$d"; done
    for d in $(unit_values RuntimeDirectory); do rw+=" /run/$d"; done
    SG_RW="$rw" SG_USER=$(unit_value User) SG_GROUP=$(unit_value Group) SG_UMASK=$(unit_value UMask) \
    SG_WORKDIR=$(unit_value WorkingDirectory) SG_ENVFILE=$(unit_value EnvironmentFile) \
    SG_ENV=$(unit_values Environment | tr '\n' ' ') SG_MAINPID=${svc_pid:-} \
    exec unshare --mount --propagation private -- bash -c '
        set -euo pipefail
        mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
        mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
        for d in /home /root /run/user; do [ -d "$d" ] && mount -t tmpfs -o mode=0755 tmpfs "$d"; done
        for d in $SG_RW; do mount --bind "$d" "$d"; done
        awk "{print \$5}" /proc/self/mountinfo | sort -u | while read -r m; do
            case " $SG_RW " in *" $m "*) continue ;; esac
            case $m in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|/var/tmp) continue ;; esac
            mount -o remount,bind,ro "$m"
        done
        cd "$SG_WORKDIR"
        umask "$SG_UMASK"
        home=$(getent passwd "$SG_USER" | cut -d: -f6)
        exec setpriv --reuid="$SG_USER" --regid="$SG_GROUP" --init-groups --no-new-privs \
            --inh-caps=-all --bounding-set=-all -- \
            env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" \
                USER="$SG_USER" LOGNAME="$SG_USER" LANG=C.UTF-8 MAINPID="$SG_MAINPID" $SG_ENV \
            bash -c "set -a; envfile=\${0#-}; if [ -f \"\$envfile\" ]; then . \"\$envfile\"; fi; set +a; eval \"exec \$1\"" \
                "$SG_ENVFILE" "$1"
    ' run-as-unit "$cmd"
}

# --- the .deb ---------------------------------------------------------------------------------------------------

if dpkg-query -W -f='${Status}' shardgate 2>/dev/null | grep -q installed; then
    if grep -q 'written by scripts/package-test.sh' /etc/shardgate/shardgate.yml 2>/dev/null; then
        note "purging a shardgate package an interrupted run of this test left installed"
        dpkg --purge shardgate >/dev/null
    else
        fail "a shardgate package is installed here already; this test installs and purges its own"
    fi
fi
getent passwd shardgate >/dev/null && fail "a user shardgate exists already"

# What is on the machine before, to find what the package leaves behind after the purge. Bookkeeping that dpkg,
# apt and man-db keep (and the backups adduser makes of /etc/passwd and friends) is not the package's.
snapshot() {
    find /etc /usr /opt /srv /var /run -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache \
        -o -path /var/log/apt -o -path /var/log/dpkg.log -o -path /var/log/alternatives.log -o -path /var/tmp \
        -o -path /run/lock -o -path /etc/ld.so.cache -o -name '*-' \) -prune -o -print 2>/dev/null | sort
}
snapshot > "$work/before.txt"

# Where systemd runs, postinst would start the service with the packaged config at once; policy-rc.d (which
# deb-systemd-invoke obeys) holds it until the test config is in place.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    made_policy=yes
fi
installed=yes
dpkg -i "$deb" > "$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log" >&2; fail "dpkg -i $deb failed"; }
[ "$(dpkg-query -W -f='${Status}' shardgate)" = "install ok installed" ] || fail "shardgate is not installed"
ok "dpkg -i $(basename "$deb")"

[ -x /usr/bin/shardgate ] && [ -f /usr/share/shardgate/lib/shardgate.jar ] || fail "launcher or jar missing"
conffiles=$(dpkg-query -W -f='${Conffiles}' shardgate)
for f in /etc/shardgate/shardgate.yml /etc/default/shardgate /etc/logrotate.d/shardgate; do
    [[ $conffiles == *"$f "* ]] || fail "$f is not a conffile: $conffiles"
done
ok "launcher, jar and conffiles (shardgate.yml, default, logrotate)"

passwd_line=$(getent passwd shardgate) || fail "no user shardgate"
IFS=: read -r _ _ sg_uid sg_gid _ sg_home sg_shell <<< "$passwd_line"
[ "$sg_uid" -lt 1000 ] && [ "$sg_shell" = /usr/sbin/nologin ] && [ "$sg_home" = /var/lib/shardgate ] \
    || fail "user shardgate is not a system user with no shell: $passwd_line"
[ "$(stat -c '%U:%G %a' /var/log/shardgate)" = "shardgate:adm 2750" ] \
    || fail "/var/log/shardgate is $(stat -c '%U:%G %a' /var/log/shardgate)"
[ "$(stat -c '%U:%G %a' /etc/shardgate/shardgate.yml)" = "root:shardgate 640" ] \
    || fail "/etc/shardgate/shardgate.yml is $(stat -c '%U:%G %a' /etc/shardgate/shardgate.yml)"
ok "system user shardgate ($sg_uid, no shell), /var/log/shardgate shardgate:adm 2750, config root:shardgate 640"

[ "$(man -w shardgate)" = /usr/share/man/man8/shardgate.8.gz ] || fail "man -w shardgate: $(man -w shardgate)"
page=$(MANWIDTH=100 man 8 shardgate 2>/dev/null)
for want in 'SHARDGATE(8)' '--admin-port=N' '--conf-file=S' 'SIGHUP' '/etc/shardgate/shardgate.yml'; do
    [[ $page == *"$want"* ]] || fail "the man page lacks '$want'"
done
ok "man 8 shardgate renders, with the options from the picocli command"

systemd-analyze verify "$unit" > "$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
security=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1) \
    || fail "systemd-analyze security: exposure above 2.0: $(tail -n 1 <<< "$security")"
for want in NoNewPrivileges=yes PrivateTmp=yes ProtectSystem=strict ProtectHome=yes StateDirectory=shardgate \
    CapabilityBoundingSet= ExecReload=; do
    grep -q "^$want" "$unit" || fail "the unit lacks $want"
done
ok "unit verified; $(tail -n 1 <<< "$security" | sed 's/^→ //')"

# The test's config and flags, in place of the packaged ones, as an operator would edit them.
free_port mc_port
free_port proxy_port
free_port stats_port
free_port admin_port
cat > /etc/shardgate/shardgate.yml <<EOF
# written by scripts/package-test.sh
pkgtest:
  listen: 127.0.0.1:$proxy_port
  hash: fnv1a_64
  distribution: ketama
  timeout: 2000
  servers:
   - 127.0.0.1:$mc_port:1
EOF
cat > /etc/default/shardgate <<EOF
# written by scripts/package-test.sh
SHARDGATE_OPTS="-s $stats_port -a 127.0.0.1 --admin-port $admin_port --threads 1"
JAVA_OPTS_EXTRA="-Xmx64m"
EOF
dpkg -i "$deb" > "$work/dpkg-reinstall.log" 2>&1 || { cat "$work/dpkg-reinstall.log" >&2; fail "reinstall failed"; }
grep -q "127.0.0.1:$mc_port" /etc/shardgate/shardgate.yml || fail "reinstalling replaced the edited config"
[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d && made_policy=""
ok "reinstalling keeps the edited conffiles"

memcached -l 127.0.0.1 -p "$mc_port" -U 0 -m 16 -t 1 -u nobody > "$work/memcached.log" 2>&1 &
mc_pid=$!
wait_listening "$mc_port" 10 || fail "memcached did not listen on 127.0.0.1:$mc_port"

systemd=""
[ -d /run/systemd/system ] && systemd=yes
if [ -n "$systemd" ]; then
    note "systemd runs here: systemctl start shardgate"
    systemctl daemon-reload
    systemctl start shardgate.service || { systemctl status shardgate.service >&2 || true; fail "systemctl start"; }
    svc_pid=$(systemctl show -p MainPID --value shardgate.service)
else
    note "systemd does not run here (no /run/systemd/system): running the unit's ExecStartPre and ExecStart"
    for d in $(unit_values StateDirectory); do install -d -o shardgate -g shardgate -m 0755 "/var/lib/$d"; done
    for d in $(unit_values RuntimeDirectory); do install -d -o shardgate -g shardgate -m 0755 "/run/$d"; done
    while IFS= read -r pre; do
        ( run_as_unit "$pre" ) < /dev/null > "$work/execstartpre.log" 2>&1 \
            || { cat "$work/execstartpre.log" >&2; fail "ExecStartPre=$pre"; }
        grep -q 'syntax is ok' "$work/execstartpre.log" || fail "ExecStartPre said: $(cat "$work/execstartpre.log")"
    done < <(unit_values ExecStartPre)
    ( run_as_unit "$(unit_value ExecStart)" ) > "$work/service.out" 2>&1 &
    svc_pid=$!
fi
wait_listening "$stats_port" 60 || { cat "$work/service.out" >&2 2>/dev/null || true; fail "the stats port never listened"; }
wait_listening "$proxy_port" 10 || fail "the proxy port never listened"
# the pid file is written once every listener is up
for ((i = 0; i < 100; i++)); do [ -s /run/shardgate/shardgate.pid ] && break; sleep 0.1; done
[ "$(cat /run/shardgate/shardgate.pid 2>/dev/null)" = "$svc_pid" ] \
    || fail "pid file /run/shardgate/shardgate.pid holds '$(cat /run/shardgate/shardgate.pid 2>/dev/null)', not $svc_pid"
ok "service started (pid $svc_pid)"

[ "$(stat -c %U "/proc/$svc_pid")" = shardgate ] || fail "the service runs as $(stat -c %U "/proc/$svc_pid")"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$svc_pid/status" || fail "the service may gain privileges"
grep -q '^CapBnd:[[:space:]]*0000000000000000' "/proc/$svc_pid/status" || fail "the service has capabilities"
[[ $(readlink "/proc/$svc_pid/cwd") == /var/lib/shardgate ]] || fail "working directory $(readlink "/proc/$svc_pid/cwd")"
root_opts=$(awk '$5 == "/" { print $6 }' "/proc/$svc_pid/mountinfo")
[[ $root_opts == ro,* || $root_opts == ro ]] || fail "the service sees / mounted $root_opts, not read-only"
[ "$(stat -L -c %d:%i "/proc/$svc_pid/root/tmp")" != "$(stat -L -c %d:%i /tmp)" ] || fail "the service shares /tmp"
ok "runs as shardgate, no new privileges, no capabilities, in /var/lib/shardgate, / read-only, its own /tmp"

check_stats "$stats_port"
ok "stats port 127.0.0.1:$stats_port answers nutcracker's JSON"
check_serves "$proxy_port" "$mc_port" deb
ok "get and set through the proxy on 127.0.0.1:$proxy_port"
check_admin "$admin_port"
ok "/health and /metrics on 127.0.0.1:$admin_port"

log=/var/log/shardgate/shardgate.log
grep -q "started on pid $svc_pid" "$log" || fail "$log does not say the service started"
[ "$(stat -c '%U:%G %a' "$log")" = "shardgate:adm 640" ] || fail "$log is $(stat -c '%U:%G %a' "$log")"

# logrotate moves the log away and signals the service (postrotate: SIGHUP to the pid file's pid), which must
# reopen it by name; the old file keeps the reopen line, the new one gets what follows.
logrotate -f -s "$work/logrotate.state" /etc/logrotate.d/shardgate 2> "$work/logrotate.err" \
    || { cat "$work/logrotate.err" >&2; fail "logrotate"; }
[ -f "$log.1" ] || fail "logrotate did not rotate $log"
for ((i = 0; i < 50; i++)); do grep -q 'reopening log file' "$log.1" && break; sleep 0.1; done
grep -q 'signal 1 (SIGHUP) received, reopening log file' "$log.1" || fail "the service did not see logrotate's SIGHUP"
ok "logrotate rotated $log and the service got SIGHUP"

if [ -n "$systemd" ]; then
    systemctl reload shardgate.service || fail "systemctl reload"
else
    ( run_as_unit "$(unit_value ExecReload)" ) > "$work/reload.log" 2>&1 \
        || { cat "$work/reload.log" >&2; fail "ExecReload"; }
fi
for ((i = 0; i < 50; i++)); do grep -q 'reopening log file' "$log" 2>/dev/null && break; sleep 0.1; done
grep -q 'reopening log file' "$log" || fail "after the reload, nothing was logged to the new $log"
check_serves "$proxy_port" "$mc_port" reloaded
ok "reload (ExecReload: SIGHUP): the service writes to the new log file and still serves"

# nutcracker's name for scripts that call it: the compat directory first on PATH.
compat=$(PATH=/usr/share/shardgate/compat:$PATH nutcracker -t -c /etc/shardgate/shardgate.yml 2>&1) \
    || fail "nutcracker -t through the compat link: $compat"
[[ $compat == *"shardgate: configuration file '/etc/shardgate/shardgate.yml' syntax is ok"* ]] \
    || fail "nutcracker -t through the compat link said: $compat"
[[ $(PATH=/usr/share/shardgate/compat:$PATH nutcracker -V) == "This is shardgate-"* ]] || fail "nutcracker -V"
ok "/usr/share/shardgate/compat/nutcracker runs shardgate with nutcracker's flags"

if [ -n "$systemd" ]; then
    systemctl stop shardgate.service || fail "systemctl stop"
    [ "$(systemctl show -p Result --value shardgate.service)" = success ] || fail "the service did not stop cleanly"
else
    kill -TERM "$svc_pid"   # KillSignal=SIGTERM
    wait "$svc_pid" && status=0 || status=$?
    [ "$status" -eq 143 ] || [ "$status" -eq 0 ] || fail "the service exited with $status on SIGTERM"
fi
wait_gone "$svc_pid" 30 || fail "the service did not stop"
svc_pid=""
! listening "$proxy_port" && ! listening "$stats_port" || fail "ports still open after the stop"
[ ! -e /run/shardgate/shardgate.pid ] || fail "the pid file is left after the stop"
grep -q 'shutting down' "$log" || fail "the stop is not in the log"
ok "stopped on SIGTERM: ports closed, pid file removed, logged"
# systemd removes a RuntimeDirectory= when the service stops; here that is ours to do
[ -n "$systemd" ] || for d in $(unit_values RuntimeDirectory); do rm -rf "/run/$d"; done

dpkg -r shardgate > "$work/dpkg-remove.log" 2>&1 || { cat "$work/dpkg-remove.log" >&2; fail "dpkg -r"; }
[ -f /etc/shardgate/shardgate.yml ] && [ ! -e /usr/bin/shardgate ] && getent passwd shardgate >/dev/null \
    || fail "dpkg -r should remove the program and keep the conffiles and the user"
ok "dpkg -r removed the program, kept the conffiles"

dpkg --purge shardgate > "$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log" >&2; fail "dpkg --purge"; }
installed=""
dpkg-query -W -f='${Status}' shardgate 2>/dev/null | grep -q installed && fail "shardgate still installed"
getent passwd shardgate >/dev/null && fail "user shardgate left after purge"
getent group shardgate >/dev/null && fail "group shardgate left after purge"
snapshot > "$work/after.txt"
comm -13 "$work/before.txt" "$work/after.txt" > "$work/new.txt"
left=$(grep -i shardgate "$work/new.txt" || true)
orphans=$(find /etc /usr /opt /srv /var /run -xdev \( -uid "$sg_uid" -o -gid "$sg_gid" \) -print 2>/dev/null || true)
[ -z "$left" ] || fail "left after purge: $left"
[ -z "$orphans" ] || fail "files of the purged user left: $orphans"
others=$(grep -vic shardgate "$work/new.txt" || true)
[ "$others" -eq 0 ] || note "($others other new path(s) appeared meanwhile, none of them shardgate's: $(head -n 5 "$work/new.txt" | tr '\n' ' '))"
ok "dpkg --purge left no file, user or group of shardgate's"

# --- the tarball ------------------------------------------------------------------------------------------------

mkdir "$work/tar"
tar -xzf "$tarball" -C "$work/tar"
home=$(echo "$work"/tar/shardgate-*)
[ -x "$home/runtime/bin/java" ] && [ -x "$home/bin/shardgate" ] && [ -f "$home/lib/shardgate.jar" ] \
    || fail "the tarball lacks runtime/bin/java, bin/shardgate or lib/shardgate.jar"
cat > "$work/tar.yml" <<EOF
pkgtest:
  listen: 127.0.0.1:$proxy_port
  hash: fnv1a_64
  distribution: ketama
  servers:
   - 127.0.0.1:$mc_port:1
EOF
# Every JDK of this machine is under /usr/lib/jvm (/usr/bin/java links there): an empty tmpfs over it leaves
# this process tree with no Java but the tarball's.
TAR_HOME=$home TAR_WORK=$work STATS=$stats_port ADMIN=$admin_port \
unshare --mount --propagation private -- bash -c '
    set -euo pipefail
    mount -t tmpfs -o mode=0755 tmpfs /usr/lib/jvm
    if PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v java >/dev/null; then echo "a java is still on PATH" >&2; exit 1; fi
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$TAR_HOME/bin/shardgate" -d -c "$TAR_WORK/tar.yml" \
        -p "$TAR_WORK/tar.pid" -o "$TAR_WORK/tar.log" -s "$STATS" -a 127.0.0.1 --admin-port "$ADMIN" --threads 1
' > "$work/tar.out" 2>&1 || { cat "$work/tar.out" "$work/tar.log" >&2 2>/dev/null || true; fail "the tarball did not start with -d"; }
tar_pid=$(cat "$work/tar.pid")
[ "$(readlink "/proc/$tar_pid/exe")" = "$home/runtime/bin/java" ] \
    || fail "the tarball runs $(readlink "/proc/$tar_pid/exe"), not its runtime"
[ ! -e "/proc/$tar_pid/root/usr/lib/jvm/java-17-openjdk-amd64" ] || fail "the system JDK was not hidden"
ok "tarball started as a daemon (pid $tar_pid) from its own runtime, no JDK on the machine as it sees it"
wait_listening "$stats_port" 30 || fail "the tarball's stats port never listened"
check_stats "$stats_port"
check_serves "$proxy_port" "$mc_port" tarball
check_admin "$admin_port"
ok "tarball: stats, get and set through the proxy, /health and /metrics (JVM metrics included)"
kill -TERM "$tar_pid"
wait_gone "$tar_pid" 30 || fail "the tarball's daemon did not stop on SIGTERM"
tar_pid=""
ok "tarball: stopped on SIGTERM"

image_mb=$(( $(du -sk "$home/runtime" | cut -f1) / 1024 ))
tarball_mb=$(( $(stat -c %s "$tarball") / 1024 / 1024 ))
note "runtime image $image_mb MB ($("$home/runtime/bin/java" --list-modules | cut -d@ -f1 | tr '\n' ' ')), tarball $tarball_mb MB"
echo "package-test: $passed passed, 0 failed"
