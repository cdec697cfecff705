#!/usr/bin/env bash
# Run a simulation as 4 shards in separate processes, merge them, and check the merged result equals a
# one-process run of the same replications (timing fields aside).
# Usage: examples/cluster/local-demo.sh [replications]   (after npm run build)
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${1:-80}
N=4
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
for i in $(seq 0 $((N - 1))); do
  node dist/cli.js run -r "$R" --seed 7 --shard "$i/$N" --out "$parts/part-$i.json" &
done
wait
node dist/cli.js merge "$parts"/part-*.json --json --out "$parts/merged.json"
node dist/cli.js run -r "$R" --seed 7 --workers 1 --json --out "$parts/single.json"
node -e '
  const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
  for (const r of [a, b]) { delete r.provenance.wallTimeMs; delete r.provenance.startedAt; }
  if (JSON.stringify(a) !== JSON.stringify(b)) { console.error("merged result differs from the one-process run"); process.exit(1); }
  console.log(`merged ${a.provenance.replications} replications from 4 shards: identical to the one-process run`);
' "$parts/merged.json" "$parts/single.json"
