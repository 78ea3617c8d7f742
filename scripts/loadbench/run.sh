#!/usr/bin/env bash
# SIHub's load benchmark: 100,000 generated companies, served from SQLite and
# from PostgreSQL, loaded with wrk on loopback (directory search, a company
# profile, the companies API), beside a bare net/http handler for scale.
#
#   scripts/loadbench/run.sh [postgres://…/DB]    (default: the local test server)
#
# Needs wrk (apt-get install wrk). Prints a Markdown table for docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_ADMIN=${1:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
PG_DB=${PG_ADMIN%%/postgres\?*}/sihub_loadbench?sslmode=disable
N=${N:-100000}
DUR=${DUR:-10s}
CONN=${CONN:-16}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/sihub" ./cmd/sihub
go build -o "$work/bare" ./scripts/loadbench/bare

# Companies with valid tax codes, text like real lists.
awk -v n="$N" 'BEGIN {
  split("31 29 23 19 17 13 7 5 3", w, " ")
  split("TP. Hồ Chí Minh|Bình Dương|Đồng Nai|Bà Rịa - Vũng Tàu|Long An", prov, "|")
  split("ép nhựa; làm khuôn|đúc áp lực; gia công cơ khí chính xác|dập kim loại; hàn|sơn tĩnh điện; mạ kẽm|tiện CNC; phay CNC|plastic injection moulding|PCBA, SMT|bó dây điện", cap, "|")
  print "tax_code,name,province,industrial_park,capabilities,materials,certifications,employees,founded,description"
  k = 0
  for (i = 0; i < n; i++) {
    while (1) {
      k++; s = sprintf("31%07d", k); sum = 0
      for (j = 1; j <= 9; j++) sum += substr(s, j, 1) * w[j]
      d = 10 - sum % 11
      if (d < 10) break
    }
    printf "%s%d,Công ty TNHH Cơ khí Số %d,%s,KCN Tân Tạo,\"%s\",\"SUS304, ADC12\",ISO 9001:2015,%d,%d,Chuyên gia công chi tiết chính xác cho ngành điện tử.\n",
      s, d, i, prov[i % 5 + 1], cap[i % 8 + 1], 20 + i % 500, 1990 + i % 30
  }
}' > "$work/companies.csv"

echo "importing $N companies into SQLite…" >&2
"$work/sihub" import companies --db "$work/bench.db" "$work/companies.csv" >/dev/null
echo "copying them to PostgreSQL…" >&2
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS sihub_loadbench" -c "CREATE DATABASE sihub_loadbench" >/dev/null
"$work/sihub" copy --from "$work/bench.db" --to "$PG_DB" >/dev/null

# wrk's --latency lines give p50 and p99; Requests/sec the throughput.
measure() { # label url
  local out
  out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency "$2")
  printf '| %s | %s | %s | %s |\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}

echo "| target | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
"$work/bare" -addr 127.0.0.1:18900 & sleep 1
measure "bare net/http handler" "http://127.0.0.1:18900/"
kill %1; wait %1 2>/dev/null || true

port=18901
for db in "$work/bench.db" "$PG_DB"; do
  name=SQLite; [[ $db == postgres* ]] && name=PostgreSQL
  "$work/sihub" serve --db "$db" --addr 127.0.0.1:$port 2>/dev/null &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
  id=$(curl -s "http://127.0.0.1:$port/api/v1/companies?limit=1&offset=5000" | sed 's/^{"items":\[{"id":\([0-9]*\).*/\1/')
  curl -s "http://127.0.0.1:$port/companies?q=ep+nhua" >/dev/null # build the directory index once
  measure "$name: directory search \"ep nhua\" with facets" "http://127.0.0.1:$port/companies?q=ep+nhua"
  measure "$name: company profile" "http://127.0.0.1:$port/companies/$id"
  measure "$name: companies API, province filter" "http://127.0.0.1:$port/api/v1/companies?province=79&limit=20"
  kill $pid; wait $pid 2>/dev/null || true
  port=$((port + 1))
done
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS sihub_loadbench" >/dev/null
