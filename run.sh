#!/usr/bin/env bash
# Brings the whole platform up on this machine on its embedded default (LiteDB stores, real RabbitMQ).
# Ctrl-C stops everything this script started. Data persists in ./data between runs.
# --demo: then plays six months of a consulting firm's history through the sandboxes (docs/demo.md).
set -euo pipefail
DEMO=0
for arg in "$@"; do
  case "$arg" in
    --demo) DEMO=1 ;;
    *) echo "usage: ./run.sh [--demo]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")"
ROOT="$(pwd)"
# shellcheck source=scripts/rabbitmq.sh
. scripts/rabbitmq.sh

DATA="${Q2C_DATA_DIR:-$ROOT/data}"
GATEWAY_PORT="${Q2C_GATEWAY_PORT:-8080}"
QBO_PORT="${Q2C_QUICKBOOKS_PORT:-8091}"
HUBSPOT_PORT="${Q2C_HUBSPOT_PORT:-8092}"
SALESFORCE_PORT="${Q2C_SALESFORCE_PORT:-8093}"
declare -A PORTS=(
  [crm-ingest]="${Q2C_CRM_INGEST_PORT:-5101}"
  [master-data]="${Q2C_MASTER_DATA_PORT:-5102}"
  [billing-rules]="${Q2C_BILLING_RULES_PORT:-5103}"
  [accounting-sync]="${Q2C_ACCOUNTING_SYNC_PORT:-5104}"
  [reporting]="${Q2C_REPORTING_PORT:-5105}"
)
WEBAPP_PORT="${Q2C_WEBAPP_PORT:-5106}"
declare -A PROJECTS=(
  [crm-ingest]=QuoteToCash.CrmIngest [master-data]=QuoteToCash.MasterData [billing-rules]=QuoteToCash.BillingRules
  [accounting-sync]=QuoteToCash.AccountingSync [reporting]=QuoteToCash.Reporting [gateway]=QuoteToCash.Gateway [webapp]=QuoteToCash.WebApp
  [quickbooks-sandbox]=QuoteToCash.Sandbox.QuickBooks [hubspot-sandbox]=QuoteToCash.Sandbox.HubSpot
  [salesforce-sandbox]=QuoteToCash.Sandbox.Salesforce
)
SERVICES=(crm-ingest master-data billing-rules accounting-sync reporting)
PIDS=()

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping QuoteToCash..."
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${Q2C_STARTED_RABBITMQ:-0}" = "1" ]; then echo "Stopping RabbitMQ"; q2c_stop_rabbitmq; fi
  echo "Stopped. Data is kept in $DATA."
}

mkdir -p "$DATA/logs"
q2c_ensure_rabbitmq
trap cleanup EXIT
trap 'exit 130' INT TERM

# Secrets of the local run: generated once, reused on every later run. The key-encryption key wraps the services'
# Data Protection key rings; a secrets.env from before it existed gets one added.
if [ ! -f "$DATA/secrets.env" ]; then
  umask 077
  {
    echo "Q2C_SIGNING_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
    echo "Q2C_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"
  } > "$DATA/secrets.env"
fi
if ! grep -q '^Q2C_KEY_ENCRYPTION_KEY=' "$DATA/secrets.env"; then
  (umask 077; echo "Q2C_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >> "$DATA/secrets.env")
fi
# shellcheck disable=SC1091
. "$DATA/secrets.env"

echo "Building (Release)..."
dotnet build QuoteToCash.sln -c Release -nologo -v q -clp:ErrorsOnly

# --demo: a fresh history moves the services' and sandboxes' clocks (not the gateway's) to its first day, through the
# file they all follow; the player rewrites it day by day. Jobs that repeat every few minutes fire once per missed
# occurrence when the clock jumps a day: in the demo, QuickBooks' CDC sweep runs daily and its lists are read weekly.
DEMO_CLOCK=()
DEMO_TOOL=(dotnet "$ROOT/artifacts/bin/QuoteToCash.DemoHistory/release/QuoteToCash.DemoHistory.dll")
if [ "$DEMO" = 1 ]; then
  "${DEMO_TOOL[@]}" prepare --data "$DATA"
  DEMO_CLOCK=(Clock__OffsetFile="$DATA/demo-clock.json" QuickBooks__Inbound__SweepInterval=1.00:00:00
    QuickBooks__ReferenceData__RefreshInterval=7.00:00:00)
fi

start() {
  local name="$1" port="$2"; shift 2
  local project="${PROJECTS[$name]}"
  local dir="$ROOT/artifacts/bin/$project/release"
  # Local: production builds and production rules for secrets (no default signing key, a key-encryption key), with
  # the gateway's own token issuer allowed (it is refused in every environment but Development and Local).
  env ASPNETCORE_ENVIRONMENT=Local \
      ConnectionStrings__rabbitmq="$RABBITMQ_URI" \
      Storage__Engine=litedb Storage__DataDirectory="$DATA" \
      Auth__SigningKey="$Q2C_SIGNING_KEY" \
      DataProtection__KeyEncryptionKey="$Q2C_KEY_ENCRYPTION_KEY" \
      Connections__AllowLoopback=true \
      "$@" \
      dotnet "$dir/$project.dll" --contentRoot "$dir" --urls "http://127.0.0.1:$port" \
      >>"$DATA/logs/$name.log" 2>&1 &
  PIDS+=("$!")
}

mkdir -p "$DATA/sandboxes"
start quickbooks-sandbox "$QBO_PORT" QuickBooks__DataFile="$DATA/sandboxes/quickbooks.json" "${DEMO_CLOCK[@]}"
start hubspot-sandbox "$HUBSPOT_PORT" HubSpot__DataFile="$DATA/sandboxes/hubspot.json" "${DEMO_CLOCK[@]}"
start salesforce-sandbox "$SALESFORCE_PORT" Salesforce__DataFile="$DATA/sandboxes/salesforce.json" "${DEMO_CLOCK[@]}"
for name in "${SERVICES[@]}"; do start "$name" "${PORTS[$name]}" "${DEMO_CLOCK[@]}"; done
# The finance web app: owns no data, calls the APIs through the gateway with the signed-in user's token.
start webapp "$WEBAPP_PORT" WebApp__GatewayUrl="http://127.0.0.1:$GATEWAY_PORT" WebApp__KeysDirectory="$DATA/webapp-keys" WebApp__DefaultTenant=demo
start gateway "$GATEWAY_PORT" \
  Auth__DevIssuer__Enabled=true \
  Auth__DevIssuer__Users__admin__Password="$Q2C_ADMIN_PASSWORD" \
  Auth__DevIssuer__Users__admin__Roles__0=admin \
  Auth__DevIssuer__Users__admin__Tenants__0='*' \
  ReverseProxy__Clusters__crm-ingest__Destinations__primary__Address="http://127.0.0.1:${PORTS[crm-ingest]}" \
  ReverseProxy__Clusters__master-data__Destinations__primary__Address="http://127.0.0.1:${PORTS[master-data]}" \
  ReverseProxy__Clusters__billing-rules__Destinations__primary__Address="http://127.0.0.1:${PORTS[billing-rules]}" \
  ReverseProxy__Clusters__accounting-sync__Destinations__primary__Address="http://127.0.0.1:${PORTS[accounting-sync]}" \
  ReverseProxy__Clusters__reporting__Destinations__primary__Address="http://127.0.0.1:${PORTS[reporting]}" \
  ReverseProxy__Clusters__webapp__Destinations__primary__Address="http://127.0.0.1:$WEBAPP_PORT"

GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
echo "Waiting for the platform to report ready..."
for i in $(seq 1 120); do
  if curl -fsS "$GATEWAY/health/ready" >/dev/null 2>&1; then break; fi
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "A process exited during start-up; see $DATA/logs/" >&2; exit 1; fi
  done
  if [ "$i" -eq 120 ]; then echo "Not ready after 120 s:" >&2; curl -sS "$GATEWAY/health/ready" >&2 || true; exit 1; fi
  sleep 1
done

TOKEN="$(curl -fsS -X POST "$GATEWAY/auth/token" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$Q2C_ADMIN_PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"

for port in "$QBO_PORT" "$HUBSPOT_PORT" "$SALESFORCE_PORT"; do
  for i in $(seq 1 60); do q2c_port_open 127.0.0.1 "$port" && break; sleep 1; done
done
echo "Configuring the demo tenants (demo: HubSpot, demo-sf: Salesforce; each with a QuickBooks realm)..."
python3 scripts/configure-demo.py "$GATEWAY" "$TOKEN" "http://127.0.0.1:$QBO_PORT" "http://127.0.0.1:$HUBSPOT_PORT" \
  "http://127.0.0.1:$SALESFORCE_PORT" "$DATA/demo-tenants.json"
if [ "$DEMO" = 1 ]; then
  echo "Playing six months of history through the sandboxes (docs/demo.md)..."
  Q2C_ADMIN_PASSWORD="$Q2C_ADMIN_PASSWORD" "${DEMO_TOOL[@]}" play --data "$DATA" --gateway "$GATEWAY"
fi

cat <<TEXT

QuoteToCash is up.
  Gateway        $GATEWAY   (the finance web app at /: sign in as admin; health at /health/ready)
  Services       crm-ingest :${PORTS[crm-ingest]}  master-data :${PORTS[master-data]}  billing-rules :${PORTS[billing-rules]}  accounting-sync :${PORTS[accounting-sync]}  reporting :${PORTS[reporting]}  webapp :$WEBAPP_PORT
  Sandboxes      QuickBooks http://127.0.0.1:$QBO_PORT  HubSpot http://127.0.0.1:$HUBSPOT_PORT  Salesforce http://127.0.0.1:$SALESFORCE_PORT
  RabbitMQ       $RABBITMQ_URI
  Data and logs  $DATA  (demo-tenants.json, logs/)
  Operator       admin / $Q2C_ADMIN_PASSWORD  (POST $GATEWAY/auth/token)
  Operator token (valid 12 h):
$TOKEN

Press Ctrl-C to stop.
TEXT

wait -n "${PIDS[@]}" || true
echo "A platform process exited; see $DATA/logs/" >&2
exit 1
