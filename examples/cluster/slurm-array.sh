#!/usr/bin/env bash
# Slurm job array: 8 shards of a 20,000-replication run (array indices 0…7).
#   sbatch examples/cluster/slurm-array.sh
# then, when all tasks are done:
#   npx ceasefire-sim merge parts/part-*.json --json --out result.json
#SBATCH --job-name=ceasefire-sim
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=01:00:00
set -euo pipefail
mkdir -p parts
npx ceasefire-sim run coalition-2026 -r 20000 --seed 1 --workers auto \
  --shard env/8 --out "parts/part-${SLURM_ARRAY_TASK_ID}.json" --force
