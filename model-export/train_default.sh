#!/usr/bin/env bash
# Reproduces the default model: simulator data -> train -> evaluate -> export into artifacts/.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/scripts/setup.sh"
cd "$DIR"
exec /usr/bin/python3 -m intent_model.train --out "$DIR/artifacts" "$@"
