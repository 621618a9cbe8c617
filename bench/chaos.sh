#!/usr/bin/env bash
# The fault-injection suite: starts the run command's system (in bench/target/chaos-system, not the
# run command's own data folder), puts it under a steady load and injects one fault per scenario,
# then counts, at the sinks and channel by channel, what was accepted, delivered, dead-lettered,
# lost, stuck or sent twice, and what the stalled-work sweep sent again. Writes bench/target/chaos.json
# and chaos.md; exits 1 when a scenario breaks a promise: fewer events accepted than its floor; an
# accepted event's notification neither delivered nor dead-lettered by its own fault; a dead letter
# or failure no fault explains; sent twice beyond the provider calls in flight at a kill (none where
# nothing is killed); a fault that did not happen; the sweep needed where nothing was killed; anything
# stuck, out of order or left prepared, a 500, poison not dead-lettered.
#
#   bench/chaos.sh [--server payara-micro|payara|wildfly] [--cluster] [--quick] [--rate EVENTS_PER_SECOND] [--scenario NAME]...
#
# Scenarios: server-killed, broker-killed, database-restarted, sms-provider-down, poison, duplicates,
# broker-down, host-shutdown, provider-throttled, database-frozen, broker-frozen, provider-slow,
# outbox-row-in-doubt, forgotten-branch (all by default), and instance-killed (with --cluster only, and then by default too). --cluster runs the
# run command's cluster: two application instances, the brokers an HA pair (the broker scenarios kill
# or freeze the active one). --quick runs each for 15 s at 20 events/s. It uses the run command's
# ports: stop a running system first, or give both the same NOTIFY_* ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# every run starts from an empty database, transaction logs and broker stores, as the benchmark's
# (bench/run.sh): what a failed run left there (a prepared transaction, messages) would count in this one
rm -rf bench/target/chaos-system/postgres bench/target/chaos-system/transactions bench/target/chaos-system/transactions-* \
    bench/target/chaos-system/broker*/data

# built before the harness starts: the run command would otherwise rebuild the jar it runs from
server-config/run.sh build
exec java -cp "bench/harness/target/notify-bench.jar:bench/harness/target/lib/*" dev.notify.bench.Chaos "$@"
