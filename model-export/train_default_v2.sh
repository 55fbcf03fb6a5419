#!/usr/bin/env bash
# The default model with the v2 recipe -> artifacts/v2/ (staged; the Java app serves artifacts/).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/scripts/setup.sh"
cd "$DIR"
exec /usr/bin/python3 -m intent_model.default_v2 "$@"
