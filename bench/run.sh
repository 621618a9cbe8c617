#!/usr/bin/env bash
# The benchmark: starts the run command's system (in bench/target/system, not the run command's own
# data folder) with the bare XA bean beside the application, measures it, stops it, and writes
# bench/target/report.json, report.md and report.png.
#
#   bench/run.sh [--server payara-micro|payara|wildfly] [--cluster] [--quick] [--warm-up EVENTS] [--rate EVENTS_PER_SECOND] [--profile] [--keep-running]
#
# --cluster measures the run command's cluster: two application instances (the POSTs spread over
# both), the brokers an HA pair. --quick runs each phase small (under 3 minutes); --rate fixes the open loop's offered rate
# (default: half the closed loop's delivered rate); --profile records the server with JFR during the
# closed loop (bench/target/closed-loop.jfr). It uses the run command's ports: stop a running
# system first, or give both the same NOTIFY_* ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# every run starts from an empty database: figures compare only when the tables start alike (a
# database grown by earlier runs made one run 37 % slower than the next with the same code); the
# transaction logs go with it: a run that was interrupted leaves in-doubt transactions there, whose
# recovery against the new database failed every commit of the next run's first minutes; and the
# brokers' stores: messages a failed run left there were consumed by the next run's server at start
rm -rf bench/target/system/postgres bench/target/system/transactions bench/target/system/transactions-* \
    bench/target/system/broker*/data

# built before the harness starts: the run command would otherwise rebuild the jar it runs from
server-config/run.sh build
exec java -Djava.awt.headless=true -cp "bench/harness/target/notify-bench.jar:bench/harness/target/lib/*" dev.notify.bench.Benchmark "$@"
