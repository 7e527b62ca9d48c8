#!/usr/bin/env bash
# Start or stop, on loopback, the Redis topologies yibao runs on besides a
# single node, for tests, CI and failover drills:
#
#   deploy/redis/local.sh start cluster    6 nodes: 3 masters, 3 replicas (ports 7000-7005)
#   deploy/redis/local.sh start sentinel   a master (6390), a replica (6391), 3 sentinels (26390-26392)
#   deploy/redis/local.sh stop  cluster|sentinel
#   deploy/redis/local.sh url   cluster|sentinel   print the REDIS_URL for it
#
# Ports move with YIBAO_CLUSTER_PORT (first of six) and YIBAO_SENTINEL_PORT
# (the master's; the replica is the next, the sentinels 20000 above).
# Data, logs and pid files live in a directory under ${TMPDIR:-/tmp},
# removed by stop. Needs redis-server and redis-cli (Debian: redis-server,
# redis-tools). Nothing is saved to disk: these are for tests, not data.
set -euo pipefail

cport=${YIBAO_CLUSTER_PORT:-7000}
sport=${YIBAO_SENTINEL_PORT:-6390}
master_name=mymaster

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

dir_of() { echo "${TMPDIR:-/tmp}/yibao-redis-$1-$2"; }

url_of() {
  case $1 in
    cluster) echo "redis://127.0.0.1:$cport?addr=127.0.0.1:$((cport + 1))&addr=127.0.0.1:$((cport + 2))" ;;
    sentinel)
      local s=$((sport + 20000))
      echo "redis://127.0.0.1:$s?master_name=$master_name&addr=127.0.0.1:$((s + 1))&addr=127.0.0.1:$((s + 2))"
      ;;
  esac
}

# node DIR PORT [redis-server options...]: one daemon on loopback.
node() {
  local dir=$1 port=$2
  shift 2
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir/$port" \
    --pidfile "$dir/$port.pid" --logfile "$dir/$port.log" --save "" --appendonly no "$@"
}

wait_for() { # wait_for DESCRIPTION COMMAND...: up to 30 s
  local what=$1
  shift
  for _ in $(seq 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "local.sh: timed out waiting for $what" >&2
  return 1
}

start_cluster() {
  local dir
  dir=$(dir_of cluster "$cport")
  if [ -d "$dir" ]; then echo "local.sh: cluster already started in $dir (stop it first)" >&2; exit 1; fi
  mkdir -p "$dir"
  local addrs=()
  for p in $(seq "$cport" $((cport + 5))); do
    # A short node timeout makes a lost master fail over in about 2 s;
    # without full coverage the other masters' slots keep serving
    # meanwhile.
    node "$dir" "$p" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 2000 --cluster-require-full-coverage no
    addrs+=("127.0.0.1:$p")
  done
  for p in $(seq "$cport" $((cport + 5))); do wait_for "node $p" redis-cli -p "$p" ping; done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log"
  for p in $(seq "$cport" $((cport + 5))); do
    wait_for "cluster state ok on $p" sh -c "redis-cli -p $p cluster info | grep -q cluster_state:ok"
  done
  # Every node must agree there are three masters, each with a replica.
  wait_for "3 replicas attached" sh -c "[ \$(redis-cli -p $cport cluster nodes | grep -c slave) -eq 3 ]"
}

start_sentinel() {
  local dir
  dir=$(dir_of sentinel "$sport")
  if [ -d "$dir" ]; then echo "local.sh: sentinel group already started in $dir (stop it first)" >&2; exit 1; fi
  mkdir -p "$dir"
  node "$dir" "$sport"
  node "$dir" $((sport + 1)) --replicaof 127.0.0.1 "$sport"
  wait_for "replica in sync" sh -c "redis-cli -p $((sport + 1)) info replication | grep -q master_link_status:up"
  for i in 0 1 2; do
    local p=$((sport + 20000 + i))
    # Sentinel rewrites its config file, so each gets its own.
    cat >"$dir/sentinel-$p.conf" <<EOF
port $p
bind 127.0.0.1
daemonize yes
dir $dir
pidfile $dir/$p.pid
logfile $dir/$p.log
sentinel monitor $master_name 127.0.0.1 $sport 2
sentinel down-after-milliseconds $master_name 1000
sentinel failover-timeout $master_name 5000
sentinel parallel-syncs $master_name 1
EOF
    redis-server "$dir/sentinel-$p.conf" --sentinel
  done
  for i in 0 1 2; do
    local p=$((sport + 20000 + i))
    wait_for "sentinel $p to see the replica and the others" sh -c \
      "redis-cli -p $p sentinel master $master_name | tr '\n' ' ' | grep -Eq 'num-slaves 1 .*num-other-sentinels 2'"
  done
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  for pf in "$dir"/*.pid; do
    [ -f "$pf" ] || continue
    local pid
    # Redis removes its pid file as it exits: it may be gone by now.
    pid=$(cat "$pf" 2>/dev/null) || continue
    # A frozen node (a drill's SIGSTOP) must wake to die.
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  for pf in "$dir"/*.pid; do
    [ -f "$pf" ] || continue
    local pid
    pid=$(cat "$pf" 2>/dev/null) || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case "$1 $2" in
  "start cluster") start_cluster; url_of cluster ;;
  "start sentinel") start_sentinel; url_of sentinel ;;
  "stop cluster") stop "$(dir_of cluster "$cport")" ;;
  "stop sentinel") stop "$(dir_of sentinel "$sport")" ;;
  "url cluster" | "url sentinel") url_of "$2" ;;
  *) usage ;;
esac
