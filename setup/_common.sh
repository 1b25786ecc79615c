# Shared by setup/run, setup/test and setup/bench: sourced, not run.
# Finds Odoo 18, installs the Python requirements and starts the project's private
# PostgreSQL cluster (unless the PG* variables or an Odoo config name a server).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
ADDONS=(comms_document_encryption comms_shared_inbox comms_fax comms_virtual_office comms_reseller)
PYTHON=${PYTHON:-python3}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# The addons of this repository that exist yet, in dependency order
# (COMMS_ADDONS="a b" narrows the list).
present_addons() {
    local a
    for a in ${COMMS_ADDONS:-${ADDONS[@]}}; do
        [ -f "$ROOT/$a/__manifest__.py" ] && printf '%s\n' "$a"
    done
}

require_odoo() {
    local version
    version=$("$PYTHON" -c 'import odoo.release as r; print(r.serie)' 2>/dev/null) || die \
"Odoo is not importable by '$PYTHON'. Install Odoo 18.0 Community from source
(https://www.odoo.com/documentation/18.0/administration/on_premise/source.html):
get the 18.0 source, 'pip install -r requirements.txt' in it, then 'pip install -e .'
so that '$PYTHON -c \"import odoo\"' works. Set PYTHON=... to use another interpreter."
    [ "$version" = "18.0" ] || die "Odoo $version found by '$PYTHON'; this suite needs Odoo 18.0."
    ODOO_ADDONS_PATH=$("$PYTHON" -c 'import odoo, os; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')
    ODOO_BIN=("$PYTHON" -m odoo)
}

require_python_packages() {
    if ! "$PYTHON" - "$ROOT/requirements.txt" <<'PY' 2>/dev/null
import sys
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    try:
        if not req.specifier.contains(version(req.name), prereleases=True):
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
    then
        say "Installing requirements.txt"
        "$PYTHON" -m pip install -q -r "$ROOT/requirements.txt"
    fi
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user.
_as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/pg_ctl" ] && { printf '%s' "$dir"; return; }
    done
    command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
    die "PostgreSQL server binaries (pg_ctl, initdb) not found: install PostgreSQL 15 (apt-get install postgresql-15)."
}

# Starts (or reuses) the database server and writes the Odoo config ($CONF).
start_database() {
    if [ -n "${ODOO_RC:-}" ] || [ -n "${PGHOST:-}" ]; then
        say "Using the configured database server"
        write_config
        return
    fi
    local bin data="$LOCAL/pgdata" sock="$LOCAL/pgrun"
    bin=$(_pg_bin)
    mkdir -p "$LOCAL" "$sock"
    [ "$(id -u)" = 0 ] && chown postgres "$sock"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in .local/pgdata"
        mkdir -p "$data"
        [ "$(id -u)" = 0 ] && chown postgres "$data"
        _as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB
CONF
    fi
    if ! _as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        _as_pg_owner "$bin/pg_ctl" -D "$data" -l "$sock/postgresql.log" -w start >/dev/null \
            || die "PostgreSQL did not start; see .local/pgrun/postgresql.log"
    fi
    # Odoo refuses the 'postgres' role: it connects as 'odoo'.
    "$bin/psql" -h "$sock" -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
        || "$bin/psql" -h "$sock" -U postgres -d postgres -qc "CREATE ROLE odoo LOGIN CREATEDB" >/dev/null
    export PGHOST="$sock" PGPORT=5432 PGUSER=odoo
    write_config
}

# Writes .local/odoo.conf: the Odoo config every command uses. An ODOO_RC file, when
# given, is the base; the PG* variables and this repository's addons come on top.
write_config() {
    CONF="$LOCAL/odoo.conf"
    "$PYTHON" - "$CONF" "$ROOT,$ODOO_ADDONS_PATH" "$LOCAL/data" <<'PY'
import configparser, os, sys
conf, addons_path, data_dir = sys.argv[1:]
parser = configparser.ConfigParser(interpolation=None)
if os.environ.get("ODOO_RC"):
    parser.read(os.environ["ODOO_RC"])
if not parser.has_section("options"):
    parser.add_section("options")
options = parser["options"]
if options.get("addons_path"):
    addons_path = f"{addons_path},{options['addons_path']}"
options["addons_path"] = addons_path
options.setdefault("data_dir", data_dir)
for env, key in (("PGHOST", "db_host"), ("PGPORT", "db_port"),
                 ("PGUSER", "db_user"), ("PGPASSWORD", "db_password")):
    if os.environ.get(env):
        options[key] = os.environ[env]
with open(conf, "w") as handle:
    parser.write(handle)
PY
}

drop_database() {
    "${ODOO_BIN[@]}" db -c "$CONF" drop "$1" >/dev/null 2>&1 || true
}

database_exists() {
    "$PYTHON" - "$CONF" "$1" <<'PY'
import sys, odoo
odoo.tools.config.parse_config(["-c", sys.argv[1]])
sys.exit(0 if odoo.service.db.exp_db_exist(sys.argv[2]) else 1)
PY
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
