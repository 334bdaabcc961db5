#!/usr/bin/env bash
# Submit a Snakemake job script as a detached local process; print the job id.
# The job's exit status is written to .snakemake/cluster-generic/{id}.exit for status.sh.
set -euo pipefail
jobscript="${!#}"
dir=".snakemake/cluster-generic"
mkdir -p "$dir"
id="job-$$-$RANDOM"
setsid nohup bash -c 'bash "$1" > "$2.log" 2>&1; echo $? > "$2.exit.tmp"; mv "$2.exit.tmp" "$2.exit"' \
  _ "$jobscript" "$dir/$id" < /dev/null > /dev/null 2>&1 &
echo "$id $!" > "$dir/$id.pid"
echo "$id"
