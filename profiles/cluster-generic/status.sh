#!/usr/bin/env bash
# Answer running, success or failed for a job id printed by submit.sh.
dir=".snakemake/cluster-generic"
id="$1"
if [ -f "$dir/$id.exit" ]; then
  if [ "$(cat "$dir/$id.exit")" = "0" ]; then echo success; else echo failed; fi
elif [ -f "$dir/$id.pid" ] && kill -0 "$(cut -d' ' -f2 "$dir/$id.pid")" 2>/dev/null; then
  echo running
elif [ -f "$dir/$id.pid" ]; then
  # The process is gone without writing its exit status: it was killed.
  sleep 1; [ -f "$dir/$id.exit" ] && exec "$0" "$id"; echo failed
else
  echo failed
fi
