#!/usr/bin/env bash
# The failure drills behind the README's table, on loopback:
#
#   deploy/redis/drills.sh freeze     one replica, one Redis frozen 5 s (SIGSTOP), 300 connections
#   deploy/redis/drills.sh cluster    two replicas on a 6-node cluster: CLUSTER FAILOVER, then a master killed
#   deploy/redis/drills.sh sentinel   two replicas on Sentinel: pause + SENTINEL FAILOVER, then the master killed
#   deploy/redis/drills.sh all
#
# Each drill prints the drill program's report (see deploy/redis/drill). It
# starts and stops everything it uses: the topologies through local.sh (so
# not while another user of them runs), a Redis for the freeze drill on
# YIBAO_DRILL_REDIS_PORT (6395), and `yibao serve` replicas from
# YIBAO_DRILL_PORT (18131) up. Each drill takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=deploy/redis
port=${YIBAO_DRILL_PORT:-18131}
redis_port=${YIBAO_DRILL_REDIS_PORT:-6395}
users=${YIBAO_DRILL_USERS:-20000}
export WECHAT_TOKEN=drill-token WECHAT_APPID=wx00000000drill000
unset WECHAT_AES_KEY

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/redis.pid" ]; then
    kill -CONT "$(cat "$work/redis.pid")" 2>/dev/null || true
    kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  fi
  "$here/local.sh" stop cluster
  "$here/local.sh" stop sentinel
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/yibao" ./cmd/yibao
go build -o "$work/drill" ./$here/drill

# serve N URL: start replica N (0, 1, ...) on REDIS_URL=URL and wait until ready.
serve() {
  local addr=127.0.0.1:$((port + $1))
  if curl -s "http://$addr/" >/dev/null 2>&1; then
    echo "drills: $addr is taken (YIBAO_DRILL_PORT moves the replicas)" >&2
    return 1
  fi
  REDIS_URL=$2 "$work/yibao" serve -addr "$addr" -log-level warn >"$work/serve-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://$addr/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "drills: replica $1 did not become ready:" >&2
  tail -5 "$work/serve-$1.log" >&2
  return 1
}

stop_replicas() { # and wait while they drain
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

targets() { # targets N: the first N replicas' webhook URLs
  local out=""
  for i in $(seq 0 $(($1 - 1))); do out+="${out:+,}http://127.0.0.1:$((port + i))/wechat"; done
  echo "$out"
}

drill() { # drill TITLE URL REPLICAS -- drill flags...
  local title=$1 url=$2 n=$3
  shift 4
  echo "== $title"
  "$work/drill" -token "$WECHAT_TOKEN" -targets "$(targets "$n")" -redis "$url" -users "$users" -d 20s -at 6s "$@" 2>&1 | grep -v '^redis: '
}

freeze() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --dir "$work" \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log" --save "" --appendonly no
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null || { echo "drills: Redis on port $redis_port did not start" >&2; return 1; }
  local url=redis://127.0.0.1:$redis_port/0 pid
  pid=$(cat "$work/redis.pid")
  serve 0 "$url"
  drill "Redis frozen 5 s" "$url" 1 -- -c 300 -do "kill -STOP $pid" -for 5s -then "kill -CONT $pid"
  stop_replicas
  kill "$pid"
  rm -f "$work/redis.pid"
}

cluster() {
  local url master replica victim
  url=$("$here/local.sh" start cluster)
  serve 0 "$url"
  serve 1 "$url"
  master=${YIBAO_CLUSTER_PORT:-7000}
  replica=$(redis-cli -p "$master" cluster replicas "$(redis-cli -p "$master" cluster myid)" | awk '{split($2, a, "[:@]"); print a[2]; exit}')
  drill "cluster: CLUSTER FAILOVER on $replica" "$url" 2 -- -c 200 -do "redis-cli -p $replica cluster failover"
  victim=$((master + 1))
  drill "cluster: master $victim killed" "$url" 2 -- -c 200 -do "kill -9 $(cat "${TMPDIR:-/tmp}/yibao-redis-cluster-$master/$victim.pid")"
  stop_replicas
  "$here/local.sh" stop cluster
}

sentinel() {
  local url master sport
  url=$("$here/local.sh" start sentinel)
  sport=$((${YIBAO_SENTINEL_PORT:-6390} + 20000))
  serve 0 "$url"
  serve 1 "$url"
  master=$(redis-cli -p "$sport" sentinel get-master-addr-by-name mymaster | tail -1)
  drill "Sentinel: pause + SENTINEL FAILOVER" "$url" 2 -- -c 200 \
    -do "redis-cli -p $master client pause 3000 write && redis-cli -p $sport sentinel failover mymaster"
  # Let Sentinel turn the old master into a replica before the next drill.
  sleep 12
  master=$(redis-cli -p "$sport" sentinel get-master-addr-by-name mymaster | tail -1)
  drill "Sentinel: master $master killed" "$url" 2 -- -c 200 \
    -do "kill -9 $(cat "${TMPDIR:-/tmp}/yibao-redis-sentinel-${YIBAO_SENTINEL_PORT:-6390}/$master.pid")"
  stop_replicas
  "$here/local.sh" stop sentinel
}

case "${1:-}" in
  freeze | cluster | sentinel) "$1" ;;
  all) freeze; cluster; sentinel ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
