#!/usr/bin/env bash
# send.sh: send a message to a Microsoft Teams channel through Herald, from a shell script, a cron
# job or a CI step. Needs bash and curl, nothing else.
#
#   export HERALD_URL=https://herald.example.com     # default: http://localhost:3000
#   export HERALD_LICENSE_KEY=hk_...                 # the binding key's LicenseKey
#   export HERALD_LICENSE_SECRET=hs_...              # and its LicenseSecret
#   ./send.sh wh_... "Backup finished on $(hostname)"
#
# Optional: HERALD_WAIT (seconds to wait for Teams' answer, 0..30, default 10; 0 only queues),
# HERALD_SOURCE (the name the console shows as the sender, default send.sh),
# HERALD_IDEMPOTENCY_KEY (default: a fresh one per run), HERALD_RETRIES (default 3).
#
# Prints Herald's answer, a SendMessageResponse:
#   {"SentMessage":true,"Message":"Delivered to Teams.","messageId":"msg_...","status":"delivered"}
# Exit status: 0 delivered or queued, 1 failed or rejected (the answer says why), 2 bad usage.
# A network error or a 502/503/504 is retried with the same Idempotency-Key: Herald answers the
# retry with the first attempt's message, so Teams never gets it twice.
set -euo pipefail

if [[ $# -ne 2 || -z $1 ]]; then
  echo "usage: HERALD_LICENSE_KEY=... HERALD_LICENSE_SECRET=... $0 <webhookId> <text>" >&2
  exit 2
fi
: "${HERALD_LICENSE_KEY:?set HERALD_LICENSE_KEY to the binding key's LicenseKey}"
: "${HERALD_LICENSE_SECRET:?set HERALD_LICENSE_SECRET to the binding key's LicenseSecret}"
webhook_id=$1
text=$2
base=${HERALD_URL:-http://localhost:3000}
base=${base%/}
wait_s=${HERALD_WAIT:-10}
retries=${HERALD_RETRIES:-3}
source_name=${HERALD_SOURCE:-send.sh}
if [[ -r /proc/sys/kernel/random/uuid ]]; then
  key=${HERALD_IDEMPOTENCY_KEY:-send-sh-$(cat /proc/sys/kernel/random/uuid)}
else
  key=${HERALD_IDEMPOTENCY_KEY:-send-sh-$(date +%s)-$$-$RANDOM$RANDOM}
fi

# A JSON string without jq: drop control characters JSON cannot carry raw (keeping tab, newline and
# carriage return), then escape backslashes, quotes and those three.
json_string() {
  local s
  s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037')
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

request=$(mktemp)
answer=$(mktemp)
trap 'rm -f "$request" "$answer"' EXIT
printf '{"webhookId":%s,"textMessage":%s,"source":%s}' \
  "$(json_string "$webhook_id")" "$(json_string "$text")" "$(json_string "$source_name")" >"$request"

attempt=0
while :; do
  # The license headers go to curl on stdin, so the secret never shows in `ps`.
  status=$(printf 'header = "X-License-Key: %s"\nheader = "X-License-Secret: %s"\n' \
    "$HERALD_LICENSE_KEY" "$HERALD_LICENSE_SECRET" |
    curl --silent --show-error --config - \
      --max-time $((wait_s + 20)) \
      --header "Content-Type: application/json" \
      --header "Idempotency-Key: $key" \
      --data-binary "@$request" \
      --output "$answer" --write-out '%{http_code}' \
      "$base/v1/messages?wait=$wait_s") || status=000
  case $status in
  000 | 502 | 503 | 504)
    if ((attempt < retries)); then
      attempt=$((attempt + 1))
      echo "send.sh: Herald unreachable or unavailable (HTTP $status); retry $attempt of $retries" >&2
      sleep $((attempt * 2))
      continue
    fi
    ;;
  esac
  break
done

if [[ -s $answer ]]; then
  cat "$answer"
  echo
else
  echo "send.sh: no answer from $base (HTTP $status)" >&2
fi
if [[ $status == 200 || $status == 202 ]] && grep -Eq '"status":"(delivered|queued)"' "$answer"; then
  exit 0
fi
exit 1
