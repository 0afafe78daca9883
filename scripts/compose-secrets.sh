#!/usr/bin/env bash
# Writes .env next to docker-compose.yml with a random value for every secret the compose file needs (and keeps the
# values of an existing .env). docker compose reads .env itself; the file is readable by its owner only.
#   scripts/compose-secrets.sh && docker compose up --build
set -euo pipefail
cd "$(dirname "$0")/.."
file=.env
touch "$file"
chmod 600 "$file"
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+='; }
add() {
  grep -q "^$1=" "$file" || echo "$1=$2" >> "$file"
}
add Q2C_SIGNING_KEY "$(random 48)"
add Q2C_KEY_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
add Q2C_WEBAPP_KEY_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
add Q2C_ADMIN_PASSWORD "$(random 18)"
add Q2C_RABBITMQ_ADMIN_PASSWORD "$(random 24)"
add Q2C_RABBITMQ_ERLANG_COOKIE "$(random 48)"
add Q2C_MONGO_ROOT_PASSWORD "$(random 24)"
add Q2C_MONGO_REPLICA_KEY "$(random 96)"
for service in CRM_INGEST MASTER_DATA BILLING_RULES ACCOUNTING_SYNC REPORTING; do
  add "Q2C_RABBITMQ_${service}_PASSWORD" "$(random 24)"
  add "Q2C_MONGO_${service}_PASSWORD" "$(random 24)"
done
echo "Secrets for docker compose are in $(pwd)/$file"
