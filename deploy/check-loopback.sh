#!/usr/bin/env bash
# Check the deploy files for real, on loopback only, without touching the system's nginx,
# systemd or /srv: gunicorn (deploy/gunicorn.conf.py) in production mode on a throwaway
# SQLite database, nginx with test configs derived from deploy/nginx-sapling.conf (plain
# HTTP on 127.0.0.1:8080 and TLS with a self-signed certificate on 127.0.0.1:8443), curl
# through both, then `systemd-analyze verify` on the unit files. Stops what it started.
#
#   deploy/check-loopback.sh            (from the repository, after `make install`)
#
# Needs nginx, openssl, curl and systemd-analyze. Ports 8001, 8002, 8080 and 8443 must be free.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/sapling-deploy-check.XXXXXX)"
chmod 0755 "$work"   # nginx's workers (user nobody) must reach the static files
pids=()
failures=0

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP_WORK:-}" = "" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

for port in 8001 8002 8080 8443; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is in use; stop whatever is there first" >&2
        exit 2
    fi
done

check() {  # check "what" command...: run a test, print PASS/FAIL
    local what="$1"
    shift
    if "$@"; then echo "PASS  $what"; else echo "FAIL  $what"; failures=$((failures + 1)); fi
}

wait_for() {  # wait_for URL: up to 20 s for anything to answer
    for _ in $(seq 1 80); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.25
    done
    echo "nothing answered at $1" >&2
    return 1
}

# --- Production settings, throwaway values --------------------------------------------
export SAPLING_ENV=production
SAPLING_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SAPLING_SECRET_KEY
export SAPLING_ALLOWED_HOSTS=127.0.0.1,localhost
export SAPLING_SSL_REDIRECT=false   # the plain-HTTP leg must not be redirected
export SAPLING_VAR_DIR="$work/var"
export DATABASE_URL="sqlite:///$work/var/sapling.sqlite3"
export SAPLING_GUNICORN_WORKERS=2
unset SAPLING_DEBUG SAPLING_GUNICORN_BIND 2>/dev/null || true
cd "$repo"

echo "== collectstatic and migrate into $work/var"
.venv/bin/python manage.py collectstatic --noinput -v 1 | tail -1
.venv/bin/sapling migrate -v 0
chmod -R a+rX "$work/var/static"

echo "== gunicorn (deploy/gunicorn.conf.py) on 127.0.0.1:8001"
.venv/bin/gunicorn --config deploy/gunicorn.conf.py sapling.wsgi:application \
    >"$work/gunicorn.log" 2>&1 &
pids+=("$!")
wait_for http://127.0.0.1:8001/healthz

echo "== nginx test configs derived from deploy/nginx-sapling.conf"
mkdir -p "$work/nginx/logs" "$work/nginx/tmp" "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
# Shared edits: our paths and logs instead of the system's.
common=(-e "s#/srv/sapling/var/#$work/var/#g"
        -e "s#/var/log/nginx/#$work/nginx/logs/#g"
        -e "s#server_name sapling.example.nhs.uk;#server_name 127.0.0.1 localhost;#")
# Plain HTTP: drop the port-80 redirect server, serve the main server on 127.0.0.1:8080
# without TLS.
sed "${common[@]}" \
    -e '/^upstream sapling_app/,/^}/d' \
    -e '/^# Plain HTTP/,/^}/d' \
    -e 's#listen 443 ssl http2;#listen 127.0.0.1:8080;#' \
    -e '/listen \[::\]:443/d' \
    -e '/^ *ssl_/d' \
    deploy/nginx-sapling.conf >"$work/nginx/site-plain.conf"
# TLS: the file as written, on 127.0.0.1:8443, with a self-signed certificate.
sed "${common[@]}" \
    -e '/^# Plain HTTP/,/^}/d' \
    -e 's#listen 443 ssl http2;#listen 127.0.0.1:8443 ssl http2;#' \
    -e '/listen \[::\]:443/d' \
    -e "s#/etc/ssl/sapling/#$work/tls/#g" \
    deploy/nginx-sapling.conf >"$work/nginx/site-tls.conf"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    access_log $work/nginx/logs/access.log;
    include $work/nginx/site-tls.conf;
    include $work/nginx/site-plain.conf;
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -t 2>&1 | sed 's/^/  /'
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=("$!")
wait_for http://127.0.0.1:8080/healthz

echo "== requests through nginx"
plain=http://127.0.0.1:8080
tls=https://localhost:8443
css=/static/vendor/nhsuk-frontend/nhsuk-frontend.min.css
head_of() { curl -sS -o /dev/null -D - "$@" | tr -d '\r'; }

body="$(curl -sS "$plain/healthz")"
echo "  GET /healthz -> $(curl -sS -o /dev/null -w '%{http_code}' "$plain/healthz") $body"
check "/healthz is 200 with status ok, database ok" \
    test "$body" = '{"status": "ok", "database": "ok"}'
login="$(curl -sS -w '\n%{http_code}' "$plain/accounts/login/")"
echo "  GET /accounts/login/ -> $(tail -1 <<<"$login")"
check "/accounts/login/ is 200 and has the sign-in form" \
    bash -c '[ "$(tail -1 <<<"$1")" = 200 ] && grep -q "<form" <<<"$1"' _ "$login"
check "the login page has a Content-Security-Policy" \
    bash -c 'grep -qi "^content-security-policy: .*default-src .self." <<<"$1"' _ \
    "$(head_of "$plain/accounts/login/")"
static_head="$(head_of -H 'Accept-Encoding: gzip' "$plain$css")"
echo "  GET $css ->" $(grep -iE '^(HTTP|content-type|content-encoding|cache-control)' <<<"$static_head")
check "static CSS is 200 text/css, gzipped, cached for an hour" bash -c '
    grep -q "^HTTP/1.1 200" <<<"$1" && grep -qi "^content-type: text/css" <<<"$1" &&
    grep -qi "^content-encoding: gzip" <<<"$1" && grep -qi "^cache-control: max-age=3600" <<<"$1"' \
    _ "$static_head"
check "static files are served by nginx, not gunicorn" \
    bash -c '! grep -q "/static/" "$1"' _ "$work/gunicorn.log"
check "a host not in SAPLING_ALLOWED_HOSTS gets 400" \
    test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$plain/healthz")" = 400

echo "== client address: nginx's \$remote_addr reaches Django as REMOTE_ADDR"
curl -sS -o /dev/null --interface 127.0.0.2 \
    -H 'X-Real-IP: 203.0.113.9' -H 'X-Forwarded-For: 203.0.113.9' "$plain/healthz?who"
sleep 0.5
echo "  gunicorn access log: $(grep 'healthz?who' "$work/gunicorn.log")"
check "REMOTE_ADDR is the client (127.0.0.2), not nginx and not the spoofed header" \
    bash -c 'grep "healthz?who" "$1" | grep -q "^127.0.0.2 "' _ "$work/gunicorn.log"

echo "== TLS through nginx (self-signed, 127.0.0.1:8443)"
tls_head="$(head_of -k --resolve localhost:8443:127.0.0.1 "$tls/accounts/login/")"
echo "  GET /accounts/login/ over TLS ->"
grep -iE '^(HTTP|strict-transport-security|set-cookie)' <<<"$tls_head" |
    sed -E -e 's/(csrftoken=)[^;]+/\1<token>/' -e 's/expires=[^;]+; //' -e 's/^/    /'
check "over TLS Django sees https: HSTS header and Secure cookies" bash -c '
    grep -qi "^strict-transport-security: max-age=31536000" <<<"$1" &&
    grep -i "^set-cookie: csrftoken" <<<"$1" | grep -qi "; secure"' _ "$tls_head"
check "over plain HTTP Django sends no HSTS (it knows the request was not https)" \
    bash -c '! grep -qi "^strict-transport-security" <<<"$1"' _ "$(head_of "$plain/accounts/login/")"

echo "== /healthz when the database is down (gunicorn on 127.0.0.1:8002, nothing on port 1)"
SAPLING_GUNICORN_BIND=127.0.0.1:8002 DATABASE_URL=postgres://sapling@127.0.0.1:1/sapling \
    .venv/bin/gunicorn --config deploy/gunicorn.conf.py sapling.wsgi:application \
    >"$work/gunicorn-down.log" 2>&1 &
pids+=("$!")
wait_for http://127.0.0.1:8002/healthz
down="$(curl -sS -w ' %{http_code}' http://127.0.0.1:8002/healthz)"
echo "  GET /healthz -> ${down: -3} ${down:0:120}..."
check "/healthz is 503 with status error when the database is down" \
    bash -c '[[ "$1" == *"\"status\": \"error\""*" 503" ]]' _ "$down"

echo "== systemd-analyze verify"
units=(sapling.service sapling-send-due.service sapling-send-due.timer
       sapling-snapshot-waitlist.service sapling-snapshot-waitlist.timer)
echo "  as written (paths under /srv/sapling do not exist on this machine):"
(cd deploy && systemd-analyze verify "${units[@]}" 2>&1 | sed 's/^/    /') || true
echo "  with /srv/sapling/app pointed at this checkout:"
mkdir -p "$work/units"
for unit in "${units[@]}"; do
    sed -e "s#/srv/sapling/app#$repo#g" -e "s#/srv/sapling/var#$work/var#g" \
        -e "s#/etc/sapling/sapling.env#$work/sapling.env#g" "deploy/$unit" >"$work/units/$unit"
done
cp deploy/sapling.env.example "$work/sapling.env"
check "systemd-analyze verify accepts the units" \
    bash -c 'cd "$1" && out="$(systemd-analyze verify "${@:2}" 2>&1)"; [ -z "$out" ] || echo "$out" | sed "s/^/    /"; [ -z "$out" ]' \
    _ "$work/units" "${units[@]}"

echo
if [ "$failures" -eq 0 ]; then echo "all checks passed"; else echo "$failures check(s) failed"; exit 1; fi
