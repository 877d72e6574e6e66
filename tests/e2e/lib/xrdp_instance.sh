# Sourced by the end-to-end tests: start and stop a private xrdp instance on 127.0.0.1.
# Each instance has its own folder (ini, cert, key, log), runs as the unprivileged `xrdp` user so that
# permission faults are real, lives in its own process group and is killed whole when stopped.

xrdp_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# xrdp_make_cert DIR [openssl req args...]: a self-signed RSA 2048 certificate and key in DIR.
xrdp_make_cert() {
  local dir=$1
  shift
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=rdpmend-e2e" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" "$@" >/dev/null 2>&1
  chown xrdp:xrdp "$dir/key.pem" "$dir/cert.pem"
  chmod 600 "$dir/key.pem"
  chmod 644 "$dir/cert.pem"
  openssl x509 -in "$dir/cert.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' >"$dir/sha1"
}

# xrdp_write_ini DIR PORT SECURITY_LAYER
xrdp_write_ini() {
  local dir=$1 port=$2 layer=$3
  sed -e "s|^port=.*|port=tcp://127.0.0.1:$port|" \
      -e "s|^security_layer=.*|security_layer=$layer|" \
      -e "s|^certificate=.*|certificate=$dir/cert.pem|" \
      -e "s|^key_file=.*|key_file=$dir/key.pem|" \
      -e "s|^fork=.*|fork=false|" \
      -e "s|^LogFile=.*|LogFile=$dir/xrdp.log|" \
      -e "s|^EnableSyslog=.*|EnableSyslog=false|" \
      /etc/xrdp/xrdp.ini >"$dir/xrdp.ini"
}

# xrdp_new_instance DIR SETUP [SECURITY_LAYER]: a folder with a certificate, key and xrdp.ini on a free port
# (set in XRDP_PORT), then SETUP DIR makes the fault. Not started.
xrdp_new_instance() {
  local dir=$1 setup=$2 layer=${3:-negotiate}
  mkdir -p "$dir"
  chmod 755 "$dir"
  XRDP_PORT=$(xrdp_free_port)
  xrdp_make_cert "$dir"
  xrdp_write_ini "$dir" "$XRDP_PORT" "$layer"
  "$setup" "$dir"
}

# xrdp_start DIR PORT: starts xrdp, waits until it accepts connections; sets XRDP_PID.
xrdp_start() {
  local dir=$1 port=$2
  touch "$dir/xrdp.log"
  chown xrdp:xrdp "$dir/xrdp.log"
  sh /usr/share/xrdp/socksetup >/dev/null 2>&1 || true
  setsid setpriv --reuid=xrdp --regid=xrdp --init-groups /usr/sbin/xrdp --nodaemon --config "$dir/xrdp.ini" \
    </dev/null >"$dir/stdout.log" 2>&1 &
  XRDP_PID=$!
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$XRDP_PID" 2>/dev/null; then
      echo "xrdp exited early: $(tail -n 3 "$dir/xrdp.log")" >&2
      return 1
    fi
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), timeout=0.2).close()" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  echo "xrdp did not listen on port $port" >&2
  return 1
}

# xrdp_write_rdpmend_config DIR [LINE...]: DIR/rdpmend.toml (root-only) for this instance: the [xrdp] table
# pointing at DIR, then each LINE (e.g. 'restart = [...]', '[policy]', 'Mode = "Auto"').
xrdp_write_rdpmend_config() {
  local dir=$1
  shift
  {
    printf '[xrdp]\nini = "%s"\nlog = "%s"\nuser = "xrdp"\n' "$dir/xrdp.ini" "$dir/xrdp.log"
    printf '%s\n' "$@"
  } >"$dir/rdpmend.toml"
  chmod 600 "$dir/rdpmend.toml"
}

# xrdp_write_start_script DIR PORT: DIR/start-xrdp.sh starts this instance the way a unit would (detached,
# pid in DIR/started.pid) and returns once it listens: the `[xrdp] restart` command of the tests.
# xrdp_kill_started DIR stops what it started.
xrdp_write_start_script() {
  local dir=$1 port=$2
  cat >"$dir/start-xrdp.sh" <<SH
#!/bin/sh
setsid setpriv --reuid=xrdp --regid=xrdp --init-groups /usr/sbin/xrdp --nodaemon --config "$dir/xrdp.ini" \
  </dev/null >"$dir/stdout.log" 2>&1 &
echo \$! >"$dir/started.pid"
for i in \$(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null && exit 0
  sleep 0.05
done
exit 1
SH
  chmod 700 "$dir/start-xrdp.sh"
}

xrdp_kill_started() {
  local dir=$1
  [[ -f $dir/started.pid ]] || return 0
  kill -TERM -- "-$(cat "$dir/started.pid")" 2>/dev/null
  sleep 0.2
  kill -KILL -- "-$(cat "$dir/started.pid")" 2>/dev/null
  return 0
}

xrdp_stop() {
  [[ -n ${XRDP_PID:-} ]] || return 0
  kill -TERM -- "-$XRDP_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do
    kill -0 "$XRDP_PID" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL -- "-$XRDP_PID" 2>/dev/null || true
  wait "$XRDP_PID" 2>/dev/null || true
  XRDP_PID=
  return 0
}

# xrdp_make_expired_cert DIR: a self-signed certificate that expired on 2025-01-01 (OpenSSL 3.0 has no
# -not_after, so `openssl ca -selfsign` sets the dates).
xrdp_make_expired_cert() {
  local dir=$1 ca=$1/ca
  mkdir -p "$ca/new"
  : >"$ca/index.txt"
  echo 01 >"$ca/serial"
  cat >"$ca/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
dir = $ca
database = $ca/index.txt
new_certs_dir = $ca/new
serial = $ca/serial
default_md = sha256
policy = any
copy_extensions = copy
[ any ]
commonName = supplied
CNF
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=rdpmend-expired" -keyout "$dir/key.pem" -out "$ca/req.csr" \
    >/dev/null 2>&1
  openssl ca -batch -config "$ca/ca.cnf" -selfsign -keyfile "$dir/key.pem" -in "$ca/req.csr" -out "$dir/cert.pem" \
    -startdate 20240101000000Z -enddate 20250101000000Z -notext >/dev/null 2>&1
  chown xrdp:xrdp "$dir/key.pem" "$dir/cert.pem"
  chmod 600 "$dir/key.pem"
}
