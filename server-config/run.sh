#!/usr/bin/env bash
# Starts the notification service locally: PostgreSQL, Artemis and the application on Payara Micro,
# Payara Server or WildFly, on embedded defaults (see README, "Configuration" for the NOTIFY_* variables).
#
#   server-config/run.sh [--server S] [--cluster]   run in the foreground; Ctrl-C stops everything
#   server-config/run.sh start [--server S] [--cluster]   run in the background
#   server-config/run.sh stop                  stop what "start" started
#   server-config/run.sh status                is it running, and where; each process, and how often it was restarted
#   server-config/run.sh build                 build what changed since the last build (the others do it too)
#
# S is payara-micro (the default), payara (Payara Server, the EAR) or wildfly (the EAR).
# --cluster starts Artemis as an HA pair (primary and backup on a shared store, the backup on
# NOTIFY_BROKER_BACKUP_PORT, 61617 by default), whose clients name both, and two application
# instances (notify-1 on NOTIFY_HTTP_PORT, notify-2 on the next port).
# --deploy ARCHIVE (repeatable; absolute, or from the repository's root) deploys another application
# beside the service, as the benchmark does with its bare bean.
set -euo pipefail
cd "$(dirname "$0")/.."

command="run"
if [[ $# -gt 0 && "$1" != --* ]]; then command="$1"; shift; fi
server_args=("$@")

# the database, the broker's journal and the logs, kept across restarts
data_dir="${NOTIFY_DATA_DIR:-server-config/data}"
export NOTIFY_DATA_DIR="$data_dir"
pid_file="$data_dir/runner.pid"
log_file="$data_dir/logs/runner.log"
# no Class-Path in the jar's manifest: the integration tests put the same jar on their class path
runner_classpath="server-config/runner/target/notify-runner.jar:server-config/runner/target/lib/*"
build_stamp="server-config/runner/target/build.stamp"
# the runner holds the process management and the local sinks, whose lists stay in memory until
# DELETE forgets them: a bounded heap, not a quarter of the machine's memory
runner_jvm=(-Xmx256m -XX:+UseSerialGC)

build_if_needed() {
  if [[ ! -f "$build_stamp" ]] || [[ -n "$(find pom.xml */pom.xml */src server-config/*/pom.xml server-config/*/src bench/*/pom.xml bench/*/src -newer "$build_stamp" -print -quit 2>/dev/null)" ]]; then
    echo "[notify] Building (first run, or the sources changed)..."
    if ! ./mvnw -B -q install -DskipTests; then
      echo "[notify] The build failed. If a download failed, check access to Maven Central (https://repo.maven.apache.org) and run server-config/run.sh again." >&2
      exit 1
    fi
    touch "$build_stamp"
  fi
}

running_pid() {
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null && cat "$pid_file"
}

case "$command" in
  run)
    build_if_needed
    exec java "${runner_jvm[@]}" -cp "$runner_classpath" dev.notify.runner.Runner "${server_args[@]}"
    ;;
  start)
    if pid=$(running_pid); then echo "[notify] Already running (pid $pid)."; exit 0; fi
    build_if_needed
    mkdir -p "$data_dir/logs"
    : > "$log_file"
    nohup java "${runner_jvm[@]}" -cp "$runner_classpath" dev.notify.runner.Runner "${server_args[@]}" >> "$log_file" 2>&1 &
    echo $! > "$pid_file"
    echo "[notify] Starting in the background (pid $!); log: $log_file"
    while kill -0 "$(cat "$pid_file")" 2>/dev/null; do
      if grep -q "\[notify\] Ready in" "$log_file"; then sed -n '/\[notify\] Ready in/,$p' "$log_file"; exit 0; fi
      sleep 0.2
    done
    cat "$log_file" >&2
    rm -f "$pid_file"
    exit 1
    ;;
  stop)
    if pid=$(running_pid); then
      kill "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 1; done
      rm -f "$pid_file"
      echo "[notify] Stopped."
    else
      echo "[notify] Not running."
    fi
    ;;
  build)
    build_if_needed
    ;;
  status)
    if pid=$(running_pid); then
      echo "[notify] Running (pid $pid): API http://127.0.0.1:${NOTIFY_HTTP_PORT:-8080}/api/v1/events"
      if [[ -f "$data_dir/status" ]]; then
        # the runner's watch writes this every second; a process that died since is shown as such
        while IFS=$'\t' read -r name state part_pid restarts address; do
          if [[ "$state" == running ]] && ! kill -0 "$part_pid" 2>/dev/null; then state="stopped, restarting"; fi
          printf '  %-16s %-20s pid %-8s restarts %-4s %s\n' "$name" "$state" "$part_pid" "$restarts" "$address"
        done < "$data_dir/status"
      else
        echo "  starting"
      fi
    else
      echo "[notify] Not running."
      exit 3
    fi
    ;;
  *)
    echo "usage: server-config/run.sh [run|start|stop|status|build] [--server payara-micro|payara|wildfly] [--cluster] [--deploy ARCHIVE]..." >&2
    exit 2
    ;;
esac
