#!/usr/bin/env bash
# Trains the streaming model (v2 recipe) and exports a servable version: by default the packaged
# model (simulator data) into artifacts/, which the stream app's jar ships; with --format/--input a
# shop's own export into --out (a model.dir version folder). Options: intent_model/default_v2.py.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/scripts/setup.sh"
cd "$DIR"
exec /usr/bin/python3 -m intent_model.default_v2 "$@"
