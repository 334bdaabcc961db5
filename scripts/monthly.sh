#!/usr/bin/env bash
# Monthly run: build the briefing for a period and archive it, unattended (cron, systemd, CI: see
# deploy/). Run `scripts/monthly.sh --help` for usage.
set -uo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/monthly.sh [--revision] [PERIOD]
       make monthly [PERIOD=YYYY-MM]

Builds every configured briefing for PERIOD (YYYY-MM; default: the PERIOD environment variable,
else the current month in UTC) and archives it (snakemake archive): each briefing's PDF and HTML
are copied to {archive_dir}/{briefing}/{PERIOD}/ with a manifest, a row is appended to that
briefing's chained ledger index.csv and to the root ledger {archive_dir}/briefings.csv. Then the
whole archive is rechecked (scripts/verify_archive.py) and its head hash printed: note it down
elsewhere; it proves later that a backup still holds this history.

  --revision   the period is archived already and the new build differs: store it as a
               revision beside the original (briefing-PERIOD-r2.pdf) instead of failing
  -h, --help   show this help

Everything is logged to logs/monthly/PERIOD.log (appended, one header per run).

Only one monthly run at a time: a second run while one holds logs/monthly/.lock exits at once
with status 75. A Snakemake lock left by a run that crashed or was killed (.snakemake/locks/
present while no monthly run holds the lock and no snakemake process runs in this folder) is
cleared with `snakemake --unlock` before building; half-made outputs are rebuilt.

Environment: PERIOD, CORES (all or a number; default all), SNAKEMAKE (default .venv/bin/snakemake,
else the snakemake on PATH; the archive check uses the python beside it). Every value is checked
before use and passed on quoted.
Exit status: 0 built, archived and verified; 1 the build, the archive or its check failed (see the
log); 2 bad usage; 75 another run is in progress.
EOF
}

revision=false
period=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --revision) revision=true ;;
    -*) echo "monthly.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *)
      if [ -n "$period" ]; then echo "monthly.sh: more than one period given (see --help)" >&2; exit 2; fi
      period="$1" ;;
  esac
  shift
done
period="${period:-${PERIOD:-$(date -u +%Y-%m)}}"
if ! [[ "$period" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]]; then
  echo "monthly.sh: period '$period' is not allowed: expected YYYY-MM with month 01-12" >&2
  exit 2
fi

CORES="${CORES:-all}"
if ! [[ "$CORES" =~ ^(all|[1-9][0-9]{0,3})$ ]]; then
  printf 'monthly.sh: CORES=%q is not allowed: expected all or a number of cores\n' "$CORES" >&2
  exit 2
fi

cd "$(dirname "$0")/.." || exit 1
here="$(pwd -P)"
if [ -z "${SNAKEMAKE:-}" ]; then
  if [ -x .venv/bin/snakemake ]; then SNAKEMAKE=.venv/bin/snakemake; else SNAKEMAKE=snakemake; fi
fi
if ! command -v -- "$SNAKEMAKE" >/dev/null; then
  printf 'monthly.sh: SNAKEMAKE=%q is not a command (run make setup, or set SNAKEMAKE)\n' "$SNAKEMAKE" >&2
  exit 2
fi
# The archive check runs with the Python of Snakemake's environment (it has PyYAML).
python="$(dirname -- "$(command -v -- "$SNAKEMAKE")")/python"
[ -x "$python" ] || python=python3

mkdir -p logs/monthly
log="logs/monthly/$period.log"
lock="logs/monthly/.lock"

say() { echo "monthly.sh: $*" | tee -a "$log"; }

# One monthly run at a time. The lock is held by file descriptor 9 until this script exits (also
# when it is killed), so it can never go stale. Opened for append: never truncate the holder's note.
exec 9>>"$lock"
if ! flock -n 9; then
  holder="$(cat "$lock" 2>/dev/null)"
  echo "monthly.sh: another monthly run is in progress (${holder:-holder unknown}); $lock is locked." \
       "Not starting a second run for $period; try again when it has finished." >&2
  exit 75
fi
echo "pid $$, period $period, started $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$lock"

echo "=== monthly.sh: period $period, started $(date -u +%Y-%m-%dT%H:%M:%SZ), pid $$" >>"$log"

# Processes running in this folder that are Snakemake (its program is named snakemake) or one of
# its jobs (a script under .snakemake/scripts/): a run started by hand, or a job a killed run left.
active_snakemake() {
  local dir pid arg
  local -a argv
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [ "$pid" = "$$" ] && continue
    [ "$(readlink "$dir/cwd" 2>/dev/null)" = "$here" ] || continue
    mapfile -d '' -t argv <"$dir/cmdline" 2>/dev/null || continue
    for arg in "${argv[@]:0:2}"; do
      if [ "${arg##*/}" = snakemake ]; then echo "$pid"; continue 2; fi
    done
    for arg in "${argv[@]}"; do
      if [[ "$arg" == *.snakemake/scripts/* ]]; then echo "$pid"; continue 2; fi
    done
  done
}

if [ -d .snakemake/locks ] && [ -n "$(ls -A .snakemake/locks 2>/dev/null)" ]; then
  busy="$(active_snakemake | xargs)"
  if [ -n "$busy" ]; then
    say "Snakemake is running in this folder outside monthly.sh (pid $busy) and holds .snakemake/locks;" \
        "not touching its lock. Try again when it has finished."
    exit 75
  fi
  say "found a stale Snakemake lock (.snakemake/locks) left by a run that crashed or was killed;" \
      "no other run is active, so clearing it with 'snakemake --unlock'"
  if ! "$SNAKEMAKE" --unlock --config "period=$period" >>"$log" 2>&1; then
    say "FAILED to clear the stale lock; see $log"
    exit 1
  fi
fi

config=("period=$period")
[ "$revision" = true ] && config+=("archive_revision=true")
say "building and archiving the briefing for $period (log: $log)"
if ! "$SNAKEMAKE" --cores "$CORES" --rerun-incomplete archive --config "${config[@]}" >>"$log" 2>&1; then
  # The rule's own message (its ERROR block, once) says what is wrong; else the end of the log.
  errors="$(awk '/^=== monthly.sh: /{text=""; on=0; seen=0}
                 /^ERROR /{if (!seen) on=1}
                 /^(RuleException|CalledProcessError|\[|=+$)/{if (on) seen=1; on=0}
                 on{text=text $0 "\n"} END{printf "%s", text}' "$log")"
  if [ -n "$errors" ]; then
    say "FAILED for $period (full output: $log):"
    printf '%s\n' "$errors" >&2
  else
    say "FAILED for $period; the end of $log:"
    tail -n 25 "$log" | grep -v '^monthly.sh: ' >&2
  fi
  exit 1
fi
for receipt in results/*/archive/"$period".json; do
  [ -e "$receipt" ] || continue
  id="${receipt#results/}"; id="${id%%/*}"
  head="$(sed -n 's/^  "ledger_head": "\([0-9a-f]\{64\}\)",\{0,1\}$/\1/p' "$receipt")"
  say "done: results/briefing/$period/briefing-$id-$period.pdf is archived (receipt: $receipt;" \
      "ledger head sha256 ${head:-unknown})"
done
# Recheck the whole archive (both ledger chains, every manifest and file) and print its head.
echo "--- verify_archive.py" >>"$log"
if ! "$python" scripts/verify_archive.py >>"$log" 2>&1; then
  say "FAILED: the archive does not verify; the end of $log:"
  tail -n 25 "$log" | grep -v '^monthly.sh: ' >&2
  exit 1
fi
say "verified: $(tail -n 1 "$log")"
say "note down the archive head above elsewhere (a ticket, the run's mail): verify_archive.py --expect-head" \
    "checks a backup against it"
exit 0
