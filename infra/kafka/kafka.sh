#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker + controller in one process) on loopback, from the
# official jars fetched with Maven. For tests, benchmarks and local runs; production uses a real cluster.
#
#   infra/kafka/kafka.sh start    fetch jars (cached), format storage once, start, wait until it takes connections
#   infra/kafka/kafka.sh stop     stop the broker by its pid (data kept: a later start resumes with it)
#   infra/kafka/kafka.sh status   running or not, and where
#   infra/kafka/kafka.sh reset    stop and delete the broker's data
#
# Environment: KAFKA_PORT (default 19092; the controller listens on KAFKA_PORT+1),
# KAFKA_STATE_DIR (default <repo>/.kafka: config, pid, broker log, pointer to the data folder),
# KAFKA_HEAP (default -Xmx512m -Xms128m), KAFKA_START_TIMEOUT (seconds, default 90).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="$((PORT + 1))"
STATE="${KAFKA_STATE_DIR:-$ROOT/.kafka}"
JARS="$HERE/.jars"
PIDFILE="$STATE/broker-$PORT.pid"
LOGFILE="$STATE/broker-$PORT.log"
CONFIG="$STATE/server-$PORT.properties"
DATAPTR="$STATE/data-dir-$PORT"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms128m}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

say() { echo "kafka.sh: $*" >&2; }

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_jars() {
  if [[ -f "$JARS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { say "mvn not found: Maven is needed to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { say "java not found: a JRE 17 is needed to run the broker"; exit 1; }
  say "fetching the Apache Kafka broker jars with Maven into $JARS (once; cached afterwards)"
  rm -rf "$JARS"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$JARS" >&2
  touch "$JARS/.complete"
}

write_config() {
  local datadir="$1"
  cat >"$CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$datadir
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=2
group.initial.rebalance.delay.ms=0
log.segment.bytes=8388608
log.retention.hours=24
log.retention.check.interval.ms=60000
num.network.threads=2
num.io.threads=2
background.threads=2
EOF
  cat >"$STATE/log4j.properties" <<EOF
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
EOF
}

classpath() { echo "$JARS/*"; }

start() {
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    echo "127.0.0.1:$PORT"
    return 0
  fi
  if port_open "$PORT"; then
    say "port $PORT is taken by another process: set KAFKA_PORT to a free port"
    exit 1
  fi
  mkdir -p "$STATE"
  fetch_jars
  local datadir=""
  [[ -f "$DATAPTR" ]] && datadir="$(cat "$DATAPTR")"
  if [[ -z "$datadir" || ! -f "$datadir/meta.properties" ]]; then
    datadir="$(mktemp -d "${TMPDIR:-/tmp}/cbec-kafka-$PORT.XXXXXX")"
    echo "$datadir" >"$DATAPTR"
    write_config "$datadir"
    local cluster_id
    cluster_id="$(java -cp "$(classpath)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -cp "$(classpath)" -Dlog4j.configuration="file:$STATE/log4j.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG" >&2
  else
    write_config "$datadir"
  fi
  # setsid: the broker outlives this script and does not get the caller's terminal signals.
  setsid java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$STATE/log4j.properties" \
    -cp "$(classpath)" kafka.Kafka "$CONFIG" >>"$LOGFILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  local waited=0
  while ((waited < TIMEOUT * 5)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the broker exited during start-up; last lines of $LOGFILE:"
      tail -20 "$LOGFILE" >&2
      rm -f "$PIDFILE"
      exit 1
    fi
    if port_open "$PORT" && grep -q "Kafka Server started" "$LOGFILE"; then
      say "broker started (pid $pid, data in $datadir, log $LOGFILE)"
      echo "127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  say "the broker did not take connections within ${TIMEOUT}s; stopping it. Last lines of $LOGFILE:"
  tail -20 "$LOGFILE" >&2
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited < 150)); do
    sleep 0.2
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "broker $pid did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running pid=$pid address=127.0.0.1:$PORT log=$LOGFILE"
  else
    echo "stopped address=127.0.0.1:$PORT"
    return 3
  fi
}

reset() {
  stop
  if [[ -f "$DATAPTR" ]]; then
    local datadir
    datadir="$(cat "$DATAPTR")"
    case "$datadir" in
      "${TMPDIR:-/tmp}"/cbec-kafka-*) rm -rf "$datadir" ;;
    esac
    rm -f "$DATAPTR"
  fi
  rm -f "$LOGFILE"
  say "data removed"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  *)
    echo "usage: $0 start|stop|status|reset" >&2
    exit 2
    ;;
esac
