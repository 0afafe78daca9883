# Shared by run.sh and test.sh: make sure a RabbitMQ broker is reachable, installing and starting
# Debian's rabbitmq-server when none is. Sets RABBITMQ_URI and, when this script started the broker,
# Q2C_STARTED_RABBITMQ=1.

q2c_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

q2c_ensure_rabbitmq() {
  export RABBITMQ_URI="${RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672/}"
  local hostport host port
  hostport="${RABBITMQ_URI#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
  host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=5672
  Q2C_STARTED_RABBITMQ=0
  if q2c_port_open "$host" "$port"; then
    echo "RabbitMQ: using the broker at $host:$port"
    return 0
  fi
  case "$host" in
    127.0.0.1|localhost) ;;
    *) echo "RabbitMQ at $host:$port is not reachable (RABBITMQ_URI=$RABBITMQ_URI)" >&2; return 1 ;;
  esac
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    echo "RabbitMQ: installing Debian's rabbitmq-server (about 30 s)"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  export PATH="$PATH:/usr/sbin"
  echo "RabbitMQ: starting the local broker"
  $sudo rabbitmq-server -detached >/dev/null 2>&1 || true
  local waited=0
  until q2c_port_open 127.0.0.1 "$port"; do
    sleep 1; waited=$((waited + 1))
    if [ "$waited" -ge 90 ]; then echo "RabbitMQ did not start within 90 s" >&2; return 1; fi
  done
  $sudo rabbitmqctl await_startup >/dev/null 2>&1 || true
  Q2C_STARTED_RABBITMQ=1
  echo "RabbitMQ: ready on 127.0.0.1:$port"
}

q2c_stop_rabbitmq() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  PATH="$PATH:/usr/sbin" $sudo rabbitmqctl stop >/dev/null 2>&1 || true
}
