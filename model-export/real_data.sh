#!/usr/bin/env bash
# Real-data evaluation of the v2 recipe on ../shared/data/ -> model-export/REAL_DATA.md.
# Options: --quick (CI size), --logs NAME..., --epochs N, --out PATH (see real_data.py --help).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/scripts/setup.sh"
cd "$DIR"
exec /usr/bin/python3 -m intent_model.real_data "$@"
