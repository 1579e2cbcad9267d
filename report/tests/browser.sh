#!/usr/bin/env bash
# Browser test of a hubtrends report page, for CI.
#
#   report/tests/browser.sh <index.html> <screenshot.png>
#
# Opens the page in headless Chromium (CHROMIUM=path overrides the binary) and
#   - saves a full-width screenshot to <screenshot.png>;
#   - fails if the page logs a console error or an uncaught exception, if any <img> does not
#     load, or if the page fetches anything over http(s) (it must be self-contained).
# The checks run on a copy of the report with a small probe script injected, so the report
# itself is not touched. Exit status: 0 all good, 1 a check failed, 2 usage or setup error.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 <index.html> <screenshot.png>" >&2
    exit 2
fi
page=$(realpath "$1")
shot=$2
if [[ ! -f "$page" ]]; then
    echo "browser.sh: no such page: $1" >&2
    exit 2
fi
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [[ -z "$chromium" ]]; then
    echo "browser.sh: chromium not found (apt-get install -y chromium, or set CHROMIUM)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage --hide-scrollbars --virtual-time-budget=10000)

# 1. The screenshot, of the page as published.
"$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --window-size=1280,2400 \
    --screenshot="$(realpath -m "$shot")" "file://$page" >"$work/shot.log" 2>&1 || {
    cat "$work/shot.log" >&2
    echo "browser.sh: chromium could not take the screenshot" >&2
    exit 2
}
[[ -s "$shot" ]] || { echo "browser.sh: no screenshot written" >&2; exit 2; }

# 2. The checks, on a copy with a probe that writes its verdict into the DOM.
cp -r "$(dirname "$page")" "$work/report"
probe='<script>
(function () {
  var errors = [];
  var consoleError = console.error;
  console.error = function () {
    errors.push("console error: " + Array.prototype.join.call(arguments, " "));
    return consoleError.apply(console, arguments);
  };
  window.addEventListener("error", function (e) {
    var t = e.target || {};
    errors.push(t.src || t.href ? "failed to load " + (t.src || t.href) : "uncaught " + e.message);
  }, true);
  window.addEventListener("load", function () {
    var imgs = document.images;
    for (var i = 0; i < imgs.length; i++) {
      if (!imgs[i].complete || imgs[i].naturalWidth === 0) errors.push("broken image " + imgs[i].getAttribute("src"));
    }
    performance.getEntriesByType("resource").forEach(function (r) {
      if (/^https?:/.test(r.name)) errors.push("network request " + r.name);
    });
    var out = document.createElement("pre");
    out.id = "browser-test-verdict";
    out.textContent = "IMAGES=" + imgs.length + "\n" + (errors.length ? "ERRORS:\n" + errors.join("\n") : "OK");
    document.body.appendChild(out);
  });
})();
</script>'
name=$(basename "$page")
python3 - "$work/report/$name" "$probe" <<'PY'
import sys
path, probe = sys.argv[1], sys.argv[2]
html = open(path, encoding="utf-8").read()
# First in <head>, so it sees every load error.
html = html.replace("<head>", "<head>\n" + probe, 1)
open(path, "w", encoding="utf-8").write(html)
PY
"$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 \
    --dump-dom "file://$work/report/$name" >"$work/dom.html" 2>"$work/console.log" || true

status=0
verdict=$(python3 - "$work/dom.html" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r'<pre id="browser-test-verdict">(.*?)</pre>', dom, re.S)
print(html.unescape(m.group(1)) if m else "NO VERDICT: the page did not finish loading")
PY
)
echo "$verdict"
[[ "$verdict" == *$'\nOK' ]] || status=1
[[ "$verdict" == IMAGES=0* ]] && { echo "browser.sh: the page has no images" >&2; status=1; }
# Chromium logs console messages as "...:CONSOLE(line)] message"; errors and exceptions fail.
if grep -E 'CONSOLE\([0-9]+\)\]' "$work/console.log" | grep -Ei 'uncaught|error|failed' >"$work/console-errors.log"; then
    echo "browser.sh: console errors:" >&2
    cat "$work/console-errors.log" >&2
    status=1
fi
if [[ $status -eq 0 ]]; then
    echo "browser.sh: OK, screenshot in $shot"
fi
exit $status
