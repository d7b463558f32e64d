#!/usr/bin/env bash
# The install a new user makes: the built wheel (not an editable install), without extras, into
# a fresh venv that has only the pip the interpreter ships.  Then the first commands the README
# gives: --help, a summary of a file, and `inbrief serve` answering /.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
log() { echo "wheel.sh: $*" >&2; }

# Built from a copy of the tracked files, so the checkout gets no build/ folder.
mkdir "$work/src"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/src"
python3 -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src" >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; exit 1; }
python3 -m venv "$work/venv"   # no `pip install --upgrade pip`: the interpreter's own pip
log "$("$work/venv/bin/pip" --version)"
"$work/venv/bin/pip" install --quiet "$work"/dist/inbrief-*.whl >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; exit 1; }
inbrief="$work/venv/bin/inbrief"

"$inbrief" --help >/dev/null
log "inbrief --help: ok"

cat >"$work/story.txt" <<'STORY'
The city council voted on Tuesday to close the old river bridge for repairs after engineers found cracks in two of its supports.

The closure will begin next month and last about a year, the council said in a statement.

Drivers will be sent along the ring road, which the council expects to add ten minutes to a trip across town.

Shop owners near the bridge said they feared losing customers during the works.
STORY
summary="$("$inbrief" summarize "$work/story.txt" --sentences 2)"
test -n "$summary"
log "inbrief summarize: ok ($(echo "$summary" | wc -w) words)"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$work" && exec "$inbrief" serve --host 127.0.0.1 --port "$port" --database "sqlite:///$work/reader.db") \
    >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    if python3 - "$port" <<'PY' 2>/dev/null; then break; fi
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=2) as answer:
    sys.exit(0 if answer.status == 200 and b"<html" in answer.read().lower() else 1)
PY
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$work/serve.log" >&2
        log "inbrief serve exited before answering"
        exit 1
    fi
    sleep 0.5
done
python3 - "$port" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=5) as answer:
    assert answer.status == 200, answer.status
PY
log "inbrief serve answers /: ok"
