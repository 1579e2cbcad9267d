#!/usr/bin/env bash
# Executes every notebook top to bottom against a lake; fails on the first error.
#
#   bash notebooks/run_all.sh [LAKE]          LAKE defaults to $HUBTRENDS_LAKE, else data/demo-lake
#   NOTEBOOK_OUT=DIR bash notebooks/run_all.sh keep the executed copies in DIR (default: a temp
#                                              dir, removed at exit); never inside the repository
#
# Executed notebooks (with outputs) are written outside the repository only, so outputs are never
# committed. Extra papermill parameters for notebook 03 can be given as NB03_ORG / NB03_WEEK.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
lake="${1:-${HUBTRENDS_LAKE:-$repo/data/demo-lake}}"
if [ ! -d "$lake/snapshots" ] || [ ! -d "$lake/marts" ]; then
  echo "run_all.sh: no hubtrends lake at $lake (needs snapshots/ and marts/);" \
       "run \`cargo run --release -- demo\` or pass a lake path" >&2
  exit 2
fi
lake="$(cd "$lake" && pwd)"
export HUBTRENDS_LAKE="$lake"

if [ -n "${NOTEBOOK_OUT:-}" ]; then
  out="$NOTEBOOK_OUT"
  mkdir -p "$out"
else
  out="$(mktemp -d "${TMPDIR:-/tmp}/hubtrends-notebooks.XXXXXX")"
  trap 'rm -rf "$out"' EXIT
fi
case "$(cd "$out" && pwd)/" in
  "$repo"/*) echo "run_all.sh: NOTEBOOK_OUT must be outside the repository ($repo)" >&2; exit 2 ;;
esac

params=()
[ -n "${NB03_ORG:-}" ] && params+=(-p org "$NB03_ORG")
[ -n "${NB03_WEEK:-}" ] && params+=(-p week "$NB03_WEEK")

status=0
for nb in "$here"/[0-9][0-9]_*.ipynb; do
  name="$(basename "$nb")"
  extra=()
  [[ "$name" == 03_* ]] && extra=("${params[@]}")
  echo "== $name (lake: $lake)"
  start=$(date +%s)
  if python3 -m papermill --no-progress-bar --log-level WARNING --cwd "$here" \
      --kernel python3 "$nb" "$out/$name" ${extra[@]+"${extra[@]}"}; then
    echo "   ok in $(( $(date +%s) - start ))s"
  else
    echo "   FAILED: $name (executed copy with the traceback: $out/$name)" >&2
    status=1
    if [ -z "${NOTEBOOK_OUT:-}" ]; then
      # keep the failing copy for inspection
      keep="$(mktemp -d "${TMPDIR:-/tmp}/hubtrends-notebooks-failed.XXXXXX")"
      cp "$out/$name" "$keep/" 2>/dev/null && echo "   kept at $keep/$name" >&2
    fi
  fi
done
if [ "$status" -ne 0 ]; then
  echo "run_all.sh: at least one notebook failed" >&2
else
  echo "run_all.sh: all notebooks ran without error"
fi
exit "$status"
