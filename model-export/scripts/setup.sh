#!/usr/bin/env bash
# Idempotent: makes sure the system Python has the model-export dependencies.
# PyPI is not used; the Debian packages below are the supported install.
set -euo pipefail
PY=/usr/bin/python3
PKGS="python3-torch python3-onnx python3-numpy libopenblas0-pthread python3-pytest python3-matplotlib"
if "$PY" -c 'import torch, onnx, numpy, pytest, matplotlib' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "model-export: installing Debian packages: $PKGS" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q $PKGS
  "$PY" -c 'import torch, onnx, numpy, pytest, matplotlib'
else
  echo "model-export: missing Python packages. Run as root:" >&2
  echo "  apt-get update && apt-get install -y $PKGS" >&2
  exit 1
fi
