#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/test_browser.py, tests/test_widget.py)
# when it is missing. Idempotent: a machine that already has /usr/bin/chromium is left alone.
# The tests drive this system browser through Playwright; `playwright install` is never used,
# because it downloads a browser build of its own.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
test -x /usr/bin/chromium
