#!/usr/bin/env bash
# Cancel jobs submitted by submit.sh (Snakemake passes the job ids).
dir=".snakemake/cluster-generic"
for id in "$@"; do
  [ -f "$dir/$id.pid" ] && kill -- -"$(cut -d' ' -f2 "$dir/$id.pid")" 2>/dev/null || true
done
