#!/usr/bin/env bash
# The fault-injection suite: starts the run command's system (in bench/target/chaos-system, not the
# run command's own data folder), puts it under a steady load and injects one fault per scenario,
# then counts what was lost, stuck or sent twice. Writes bench/target/chaos.json and chaos.md; exits
# 1 when a scenario breaks a promise.
#
#   bench/chaos.sh [--server payara-micro|payara|wildfly] [--quick] [--rate EVENTS_PER_SECOND] [--scenario NAME]...
#
# Scenarios: server-killed, broker-killed, database-restarted, sms-provider-down, poison, duplicates,
# broker-down, host-shutdown (all by default). --quick runs each for 15 s at 20 events/s. It uses the
# run command's ports: stop a running system first, or give both the same NOTIFY_* ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# built before the harness starts: the run command would otherwise rebuild the jar it runs from
server-config/run.sh build
exec java -cp "bench/harness/target/notify-bench.jar:bench/harness/target/lib/*" dev.notify.bench.Chaos "$@"
