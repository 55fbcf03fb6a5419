#!/usr/bin/env bash
# Reproduces the default model: simulator data -> train -> evaluate -> export into artifacts/.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/scripts/setup.sh"
exec /usr/bin/python3 "$DIR/train.py" --out "$DIR/artifacts" "$@"
