#!/usr/bin/env bash
# Installs what the tests need (RabbitMQ, Chromium), builds once, and runs every test project of the solution.
# Ends with "N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"
# shellcheck source=scripts/rabbitmq.sh
. scripts/rabbitmq.sh

CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$ROOT/artifacts/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MASSTRANSIT_USAGE_TELEMETRY=false

command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required." >&2; exit 1; }
q2c_ensure_rabbitmq
# The web app's browser tests drive Debian's Chromium (Playwright's own browser download is not used).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests..."
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get install -y chromium >/dev/null 2>&1 || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y chromium >/dev/null 2>&1; }; } \
    || echo "Chromium could not be installed; the browser tests will be skipped with that reason." >&2
fi
# Tests get virtual hosts of their own on the local broker, so they never mix messages with a ./run.sh on it; the
# end-to-end suite has one apart from the other projects, because it runs beside them (below).
E2E_RABBITMQ_URI=""
if [ "$RABBITMQ_URI" = "amqp://guest:guest@127.0.0.1:5672/" ]; then
  ctl="$(command -v rabbitmqctl || echo /usr/sbin/rabbitmqctl)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -x "$ctl" ] || command -v rabbitmqctl >/dev/null 2>&1; then
    for vhost in q2c-tests q2c-tests-e2e; do
      $sudo "$ctl" add_vhost "$vhost" >/dev/null 2>&1 || true
    done
    if $sudo "$ctl" set_permissions -p q2c-tests guest ".*" ".*" ".*" >/dev/null 2>&1; then
      RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/q2c-tests"
      if $sudo "$ctl" set_permissions -p q2c-tests-e2e guest ".*" ".*" ".*" >/dev/null 2>&1; then
        E2E_RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/q2c-tests-e2e"
      fi
    fi
  fi
fi
echo "Tests use $RABBITMQ_URI"
export RABBITMQ_URI
stop_broker() { if [ "${Q2C_STARTED_RABBITMQ:-0}" = "1" ] && [ "${Q2C_KEEP_RABBITMQ:-0}" != "1" ]; then q2c_stop_rabbitmq; fi; }
trap stop_broker EXIT

echo "Building ($CONFIGURATION)..."
dotnet build QuoteToCash.sln -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
run_project() { # project -> its console output; fails when its tests do
  local project="$1" name
  name="$(basename "$project" .csproj)"
  echo
  echo "== $name"
  dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS" 2>&1 | grep -vE '^\s*$'
}

projects="$(dotnet sln QuoteToCash.sln list | grep -E '^tests/.*\.Tests\.csproj$' | sort)"
e2e="tests/EndToEnd.Tests/EndToEnd.Tests.csproj"
e2e_pid=""
# The end-to-end suite spends most of its time waiting for the platform's processes, so when it has a virtual host of
# its own it runs beside the other projects (its output follows theirs).
if [ -n "$E2E_RABBITMQ_URI" ] && echo "$projects" | grep -qx "$e2e"; then
  echo "The end-to-end suite runs beside the other projects, on $E2E_RABBITMQ_URI"
  ( RABBITMQ_URI="$E2E_RABBITMQ_URI" run_project "$e2e" > "$RESULTS/EndToEnd.Tests.log" 2>&1 ) &
  e2e_pid=$!
  projects="$(echo "$projects" | grep -vx "$e2e")"
fi
for project in $projects; do
  run_project "$project" || status=1
done
if [ -n "$e2e_pid" ]; then
  wait "$e2e_pid" || status=1
  cat "$RESULTS/EndToEnd.Tests.log"
fi

# One summary over all projects, read from the TRX files.
python3 - "$RESULTS" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
total = passed = failed = skipped = 0
failures = []
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    total += int(counters.get("total")); passed += int(counters.get("passed"))
    failed += int(counters.get("failed")) + int(counters.get("error")) + int(counters.get("timeout")) + int(counters.get("aborted"))
    skipped += int(counters.get("total")) - int(counters.get("executed"))
    # Name every failure again at the end, with the start of its message, so the tail of a CI log says what broke.
    root = ET.parse(path).getroot()
    for result in root.iter("{%s}UnitTestResult" % ns["t"]):
        if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
            text = (message.text or "").strip() if message is not None else ""
            failures.append((result.get("testName"), text[:600]))
print()
for name, text in failures:
    print(f"FAILED {name}")
    for line in text.splitlines()[:8]:
        print(f"    {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or total == 0 else 0)
PY
exit "$status"
