#!/usr/bin/env bash
# Runs the model-export test suite from any working directory; non-zero exit on failure.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$DIR/scripts/setup.sh"
cd "$DIR"                    # the intent_model package is imported from here
exec /usr/bin/python3 -m pytest -q -p no:cacheprovider tests
