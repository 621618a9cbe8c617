#!/usr/bin/env bash
# Strict per-user order, measured against the run command's system (server-config/run.sh start,
# its default ports; needs psql): 300 payment.failed events in one batch for one SMS-only user
# while the SMS provider answers 503 to every call: how long until all 300 are settled
# (dead-lettered), and how many attempts that took. Then 300 for another user with the provider
# failing the first call only: whether they arrive in publish order, and how long the second waited.
set -euo pipefail
KEY='X-API-Key: local-publisher-key'; API=http://127.0.0.1:8080/api/v1
export PGPASSWORD=${NOTIFY_DB_PASSWORD:-notify}
sql() { psql -h 127.0.0.1 -p 15432 -U notify -d notify -At -c "$1"; }
run() { # user failures
  user=$1
  curl -s -o /dev/null -X PUT $API/users/$user -H "$KEY" -H 'Content-Type: application/json' -d '{"phone": "+4915112345678", "locale": "en"}'
  curl -s -o /dev/null -X PUT $API/users/$user/preferences -H "$KEY" -H 'Content-Type: application/json' -d '{"event_types": {"payment.failed": {"channels": ["sms"]}}}'
  curl -s -o /dev/null -X POST "http://127.0.0.1:8025/sms/failures?status=503&times=$2"
  events=$(python3 -c "import json;print(json.dumps({'events':[{'event_id':'$user-%d'%i,'event_type':'payment.failed','user_id':'$user','timestamp':'2026-11-27T10:00:00Z','payload':{'payment_id':'p-%d'%i}} for i in range(300)]}))")
  start=$(date +%s.%N)
  curl -s -o /dev/null -w "batch %{http_code}\n" -X POST $API/events/batch -H "$KEY" -H 'Content-Type: application/json' -d "$events"
  while [ "$(sql "select count(*) from notification where user_id = '$user' and status in ('sent','dead-lettered','failed')")" != 300 ]; do sleep 0.5; done
  end=$(date +%s.%N)
  echo "$user (provider failing $2 calls): all 300 settled after $(python3 -c "print(round($end-$start,1))") s"
  sql "select status, count(*), sum(attempts) from notification where user_id = '$user' group by 1"
  sql "select 'in publish order: ' || bool_and(ok) from (select sent_at >= lag(sent_at) over (order by event_seq) as ok from notification where user_id = '$user' and status = 'sent') t where ok is not null"
  sql "select 'the 2nd waited ' || round(extract(epoch from (select sent_at from notification where user_id = '$user' order by event_seq offset 1 limit 1) - (select min(created_at) from notification where user_id = '$user'))::numeric, 2) || ' s after routing'"
}
run outage-$RANDOM 1500
curl -s -o /dev/null -X POST "http://127.0.0.1:8025/sms/failures?status=503&times=0" || true
run retry-$RANDOM 1
