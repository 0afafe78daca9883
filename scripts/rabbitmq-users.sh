#!/usr/bin/env bash
# Creates (or updates) one RabbitMQ user per QuoteToCash service, each limited to the vhost Q2C_BROKER_VHOST
# (default: quotetocash) and, inside it, to the names it needs. Idempotent: run it on every start.
#
# Needs rabbitmqctl that can reach the node (same Erlang cookie) and, per service, its password in
#   Q2C_RABBITMQ_CRM_INGEST_PASSWORD, Q2C_RABBITMQ_MASTER_DATA_PASSWORD, Q2C_RABBITMQ_BILLING_RULES_PASSWORD,
#   Q2C_RABBITMQ_ACCOUNTING_SYNC_PASSWORD, Q2C_RABBITMQ_REPORTING_PASSWORD.
# Optional: Q2C_RABBITMQ_NODE (rabbitmqctl -n), Q2C_RABBITMQ_REMOVE_GUEST=1 (default) deletes the guest user.
#
# What a service may touch (configure, write and read share one pattern):
#   <service>*                  its receive queues and their exchanges (Messaging:EndpointPrefix = the service name),
#                               their _error/_skipped queues, and its request-response queue (the host name starts with
#                               the service name: compose sets hostname, Kubernetes names pods after the Deployment);
#   QuoteToCash.Contracts.*     the message-type exchanges it publishes to and binds its queues to;
#   MassTransit:*               MassTransit's own fault exchanges.
# No user is an administrator, none has a management tag, and none reaches another vhost.
set -euo pipefail

vhost="${Q2C_BROKER_VHOST:-quotetocash}"
ctl=(rabbitmqctl -q)
[ -n "${Q2C_RABBITMQ_NODE:-}" ] && ctl+=(-n "$Q2C_RABBITMQ_NODE")

"${ctl[@]}" add_vhost "$vhost" 2>/dev/null || true
for service in crm-ingest master-data billing-rules accounting-sync reporting; do
  variable="Q2C_RABBITMQ_$(echo "$service" | tr 'a-z-' 'A-Z_')_PASSWORD"
  password="${!variable:-}"
  if [ -z "$password" ]; then echo "rabbitmq-users: $variable is not set" >&2; exit 1; fi
  if ! "${ctl[@]}" add_user "$service" "$password" >/dev/null 2>&1; then
    "${ctl[@]}" change_password "$service" "$password" >/dev/null
  fi
  "${ctl[@]}" set_user_tags "$service" >/dev/null
  pattern="^(${service}.*|QuoteToCash\\.Contracts\\..*|MassTransit:.*)\$"
  "${ctl[@]}" set_permissions -p "$vhost" "$service" "$pattern" "$pattern" "$pattern" >/dev/null
  echo "rabbitmq-users: $service on $vhost"
done
if [ "${Q2C_RABBITMQ_REMOVE_GUEST:-1}" = "1" ]; then
  "${ctl[@]}" delete_user guest >/dev/null 2>&1 || true
fi
