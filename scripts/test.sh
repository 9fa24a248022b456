#!/usr/bin/env bash
# Runs every check and test suite from a fresh clone: Go vet, gofmt, go test,
# then the SDK conformance suites (node, Python) against one built binary.
# Exits non-zero if anything failed; the last line totals the tests.
#
#   COSELL_TEST_RACE=1   run go test with -race
#   COSELL_ENDPOINT=...  run the conformance suites against that endpoint (see conformance/README.md)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/cosell-test.XXXXXX")"
pg_dir="" pg_url=""
trap 'pg_cluster_stop; rm -rf "$work"' EXIT

declare -a step_names=() step_results=()
passed=0 failed=0 skipped=0

banner() { printf '\n==== %s ====\n' "$1"; }

# record NAME STATUS: remembers one step's outcome for the summary.
record() {
  step_names+=("$1")
  if [[ "$2" == 0 ]]; then step_results+=("ok"); else step_results+=("FAILED"); fi
}

# step NAME CMD...: runs one step, never aborting the script on failure.
# A step that writes "$work/step.counts" ("PASSED FAILED SKIPPED") adds its
# tests to the totals; a failed step that counted no failing test (vet,
# gofmt, a build) counts as one failure, so the total never hides it.
step() {
  local name="$1"; shift
  banner "$name"
  rm -f "$work/step.counts"
  local status=0 p=0 f=0 s=0
  "$@" || status=$?
  record "$name" "$status"
  [[ -f "$work/step.counts" ]] && read -r p f s < "$work/step.counts"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  if [[ "$status" != 0 && "$f" == 0 ]]; then failed=$((failed + 1)); fi
  return 0
}

gofmt_clean() {
  local unformatted
  unformatted="$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -print0 | xargs -0 gofmt -l)"
  if [[ -n "$unformatted" ]]; then
    echo "gofmt would change:"
    echo "$unformatted"
    return 1
  fi
  echo "all Go files are gofmt-clean"
}

go_tests() {
  local race=()
  [[ "${COSELL_TEST_RACE:-}" == 1 ]] && race=(-race)
  go test "${race[@]}" -json ./... | python3 scripts/gotest-report.py "$work/step.counts"
}

# fresh_module is a user's module that requires cosell (a replace directive
# to this checkout stands in for a published version) and tests against
# coselltest with the aws.Config it returns, as the README shows.
fresh_module() (
  local checkout="$PWD" mod="$work/fresh-module"
  mkdir -p "$mod"
  cp coselltest/testdata/freshmodule/crm_test.go "$mod/"
  cd "$mod"
  go mod init example.com/crm
  go mod edit -require github.com/cosell/cosell@v0.0.0 -replace "github.com/cosell/cosell=$checkout"
  go mod tidy
  go test -count=1 ./...
)

npm_install() (
  cd conformance
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
)

# postgres_server makes sure PostgreSQL's server binaries are here for the
# CRM store tests (internal/testpg starts a throwaway cluster with them);
# without them those tests skip, which the summary shows.
postgres_server() {
  if command -v initdb >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "PostgreSQL server binaries found"
    return 0
  fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql)
    if "${install[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && "${install[@]}" >/dev/null; }; then
      echo "installed PostgreSQL"
      return 0
    fi
  fi
  echo "no PostgreSQL server binaries: the PostgreSQL CRM store tests will skip"
}

# debian_install PACKAGE installs a Debian package when running as root
# with apt-get, updating the package lists only if the first try fails.
debian_install() {
  [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null || return 1
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1")
  "${install[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && "${install[@]}" >/dev/null; }
}

# haproxy_proxy makes sure haproxy is here: the three-replica test
# (internal/replicatest) puts it in front of the replicas, as a team would;
# without it that test's client spreads its requests itself.
haproxy_proxy() {
  if command -v haproxy >/dev/null || debian_install haproxy; then
    echo "haproxy: $(haproxy -v 2>/dev/null | head -1)"
    return 0
  fi
  echo "no haproxy: the three-replica test spreads its requests without a proxy"
}

# chromium makes sure Debian's Chromium is here for the console's browser
# tests (conformance/browser, driven by playwright-core); without it they
# cannot run, which fails that step.
chromium_browser() {
  if [[ -x /usr/bin/chromium ]]; then
    echo "Chromium found: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
    return 0
  fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
    if "${install[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && "${install[@]}" >/dev/null; }; then
      echo "installed Chromium"
      return 0
    fi
  fi
  echo "no /usr/bin/chromium and it could not be installed: the console's browser tests cannot run"
  return 1
}

# as_postgres runs a PostgreSQL server program: PostgreSQL refuses to run as
# root, so under root it runs as the postgres user (which the Debian package
# creates).
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_bin prints the directory of PostgreSQL's server programs, if any.
pg_bin() {
  local initdb
  initdb="$(command -v initdb || compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -1)"
  [[ -n "$initdb" ]] && dirname "$(readlink -f "$initdb")"
}

# pg_cluster_start starts a throwaway PostgreSQL cluster for the conformance
# suites' PostgreSQL run and sets pg_url: no TCP port (only a Unix socket in
# its own directory), no fsync. Without the server programs it starts none,
# and the PostgreSQL run is skipped. pg_cluster_stop removes it.
pg_cluster_start() {
  local bin
  if ! bin="$(pg_bin)"; then
    echo "no PostgreSQL server binaries: the conformance suites' PostgreSQL run is skipped"
    return 0
  fi
  pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/cosell-pg.XXXXXX")"
  [[ "$(id -u)" == 0 ]] && chown postgres "$pg_dir"
  as_postgres "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null &&
    as_postgres "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -o \
      "-k $pg_dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null &&
    pg_url="postgres://postgres@/postgres?host=$pg_dir" && echo "PostgreSQL cluster at $pg_dir"
}

pg_cluster_stop() {
  [[ -n "$pg_dir" ]] || return 0
  as_postgres "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=""
}

# The conformance suites again, against three replicas on the PostgreSQL
# store: each test file gets a new database on the cluster and three
# `cosell serve` on it behind haproxy (see COSELL_CONFORMANCE_PG_URL and
# COSELL_CONFORMANCE_REPLICAS in conformance/lib/server.mjs); one server
# per file when haproxy could not be installed.
pg_replicas() { if command -v haproxy >/dev/null; then echo 3; else echo 1; fi; }
node_suite_postgres() { COSELL_CONFORMANCE_PG_URL="$pg_url" COSELL_CONFORMANCE_REPLICAS="$(pg_replicas)" node_suite test; }
python_suite_postgres() { COSELL_CONFORMANCE_PG_URL="$pg_url" COSELL_CONFORMANCE_REPLICAS="$(pg_replicas)" python_suite; }

build_binary() {
  go build -o "$work/cosell" ./cmd/cosell && echo "built $work/cosell"
}

# node_suite DIR runs one folder of node tests under conformance/ against
# the built binary.
node_suite() {
  local status=0
  (cd conformance && COSELL_BIN="$work/cosell" node --test --test-concurrency=1 "$1/") | tee "$work/node.out" || status=$?
  local p f s
  p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/node.out" | tail -1)"
  f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/node.out" | tail -1)"
  s="$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$work/node.out" | tail -1)"
  echo "${p:-0} ${f:-0} ${s:-0}" > "$work/step.counts"
  return "$status"
}

python_suite() {
  local status=0
  # botocore reads the newest models from ../shared/spec/botocore before its own.
  local models
  models="$(cd ../shared/spec/botocore 2>/dev/null && pwd || true)"
  AWS_DATA_PATH="$models" COSELL_BIN="$work/cosell" python3 -m unittest discover -s conformance/python -t conformance/python -v 2>&1 | tee "$work/python.out" || status=$?
  local ran f e s
  ran="$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$work/python.out" | tail -1)"
  f="$(grep -o 'failures=[0-9]*' "$work/python.out" | tail -1 | cut -d= -f2 || true)"
  e="$(grep -o 'errors=[0-9]*' "$work/python.out" | tail -1 | cut -d= -f2 || true)"
  s="$(grep -o 'skipped=[0-9]*' "$work/python.out" | tail -1 | cut -d= -f2 || true)"
  f=$(( ${f:-0} + ${e:-0} )); s=${s:-0}
  echo "$(( ${ran:-0} - f - s )) $f $s" > "$work/step.counts"
  return "$status"
}

no_binary() {
  echo "cosell did not build, so the conformance suites cannot run"
  return 1
}

step "go mod download" go mod download
step "go vet" go vet ./...
step "gofmt" gofmt_clean
step "PostgreSQL server" postgres_server
step "haproxy" haproxy_proxy
step "go test" go_tests
step "Go module using coselltest" fresh_module
step "npm ci (conformance)" npm_install
step "Chromium" chromium_browser
step "build cosell" build_binary
if [[ -x "$work/cosell" || -n "${COSELL_ENDPOINT:-}" ]]; then
  step "conformance: node SDK" node_suite test
  step "conformance: python boto3" python_suite
  # Screenshots of each console page land in conformance/browser/artifacts/.
  step "console: headless Chromium" node_suite browser
  if [[ -z "${COSELL_ENDPOINT:-}" ]]; then
    step "PostgreSQL cluster (conformance)" pg_cluster_start
    if [[ -n "${pg_url:-}" ]]; then
      step "conformance: node SDK, replicas on PostgreSQL" node_suite_postgres
      step "conformance: python boto3, replicas on PostgreSQL" python_suite_postgres
    fi
    pg_cluster_stop
  fi
else
  step "conformance suites" no_binary
fi

banner "summary"
overall=0
for i in "${!step_names[@]}"; do
  printf '  %-32s %s\n' "${step_names[$i]}" "${step_results[$i]}"
  [[ "${step_results[$i]}" == ok ]] || overall=1
done
echo "total: $passed passed, $failed failed, $skipped skipped"
exit "$overall"
