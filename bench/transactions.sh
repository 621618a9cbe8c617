#!/usr/bin/env bash
# The transaction census: how many database transactions an event costs, and how many of them are
# two-phase. Starts the run command's system in bench/target/census with PostgreSQL logging every
# statement, publishes EVENTS order.placed events (email and push) for 20 users, waits until the
# sinks have them all, and counts, in PostgreSQL's log of that window, the one-phase commits, the
# PREPARE TRANSACTIONs and the COMMIT PREPAREDs, per event.
#
#   bench/transactions.sh [--server payara-micro|payara|wildfly] [EVENTS]    (default 300)
#
# It uses the run command's ports: stop a running system first.
set -euo pipefail
cd "$(dirname "$0")/.."

server=payara-micro
if [[ "${1:-}" == --server ]]; then server="$2"; shift 2; fi
events="${1:-300}"
export NOTIFY_DATA_DIR=bench/target/census
api=http://127.0.0.1:8080/api/v1
key='X-API-Key: local-publisher-key'
json='Content-Type: application/json'
sinks=http://127.0.0.1:8025
sql() { psql -h 127.0.0.1 -p 15432 -U postgres -d notify -Atqc "$1"; }
log_dir="$PWD/$NOTIFY_DATA_DIR/postgres-log"

rm -rf "$NOTIFY_DATA_DIR"
server-config/run.sh start --server "$server"
# every statement to a log file of its own (the collector takes effect at PostgreSQL's next start)
sql "ALTER SYSTEM SET logging_collector = on" >/dev/null
sql "ALTER SYSTEM SET log_directory = '$log_dir'" >/dev/null
sql "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
server-config/run.sh stop
server-config/run.sh start --server "$server"
trap 'server-config/run.sh stop' EXIT

for user in $(seq 1 20); do
  curl -fsS -o /dev/null -X PUT "$api/users/census-$user" -H "$key" -H "$json" \
    -d "{\"email\": \"census-$user@example.org\", \"phone\": \"+4915100000$user\", \"push_tokens\": [\"device-$user\"]}"
done
publish() { # $1: first number, $2: last number
  for n in $(seq "$1" "$2"); do
    curl -fsS -o /dev/null -X POST "$api/events" -H "$key" -H "$json" -d "{\"event_id\": \"census-$n\", \"event_type\": \"order.placed\",
      \"user_id\": \"census-$((n % 20 + 1))\", \"timestamp\": \"2026-12-07T10:00:00Z\", \"payload\": {\"order_id\": \"o-$n\", \"total\": 9.5}}"
  done
}
received() { # mails and pushes received at the sinks so far
  echo $(($(curl -fsS "$sinks/mail?keys" | grep -o '"[^"]*"' | wc -l) + $(curl -fsS "$sinks/push" | grep -o '"idempotency_key"' | wc -l)))
}
wait_for() { # $1: events whose mail and push have arrived
  for _ in $(seq 1 600); do
    [[ "$(received)" -ge $((2 * $1)) ]] && return 0
    sleep 1
  done
  echo "only $(received) of $((2 * $1)) notifications received" >&2; exit 1
}

# a warm-up, outside the counted window
publish 1 100
wait_for 100
sleep 5 # the relay's and the sweeps' rounds of the warm-up end
log=$(ls -t "$log_dir"/*.log | head -1)
from=$(wc -l <"$log")
publish 101 $((100 + events))
wait_for $((100 + events))
sleep 5
window=$(tail -n +"$((from + 1))" "$log")
count() { grep -cE "$1" <<<"$window" || true; }
# pgjdbc sends these as simple statements or unnamed prepared ones
statement='(statement|execute [^:]*): '
one_phase=$(count "${statement}COMMIT\$")
prepared=$(count "${statement}PREPARE TRANSACTION")
committed_prepared=$(count "${statement}COMMIT PREPARED")
rolled_back=$(count "${statement}ROLLBACK")
per_event() { awk -v n="$1" -v e="$events" 'BEGIN { printf "%.2f", n / e }'; }
echo
echo "census: $server, $events events (email + push), commit $(git describe --always --dirty)"
echo "| one-phase commits | PREPARE TRANSACTION | COMMIT PREPARED | rollbacks | transactions per event | two-phase per event |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| $one_phase | $prepared | $committed_prepared | $rolled_back | $(per_event $((one_phase + prepared))) | $(per_event "$prepared") |"
