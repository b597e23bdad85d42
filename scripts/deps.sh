#!/usr/bin/env bash
# The system packages oit-checker's demo and tests need: the ONE list (make deps, make demo, .ci/run).
#
#   bash scripts/deps.sh test   # all of them (make deps, make test, .ci/run)
#   bash scripts/deps.sh demo   # what `oit-checker demo` uses (make demo)
#
# Checks with dpkg-query and a look for Playwright's own Chromium (both well under a second); installs
# what is missing with apt-get when it can (root, or sudo without a password); otherwise stops at once
# with one line naming the missing packages and the command that installs them.
set -euo pipefail

# chromium + fonts-thai-tlwg: pages built by scripts, social pages, screenshots (Thai glyphs need the
# fonts); poppler-utils: pdftotext reads Thai PDFs, pdftoppm draws PDF pages for screenshots and OCR.
DEMO_PACKAGES="chromium fonts-thai-tlwg poppler-utils"
# tesseract-ocr + its Thai data: OCR of scanned Thai PDFs. The demo's verdicts are the same without
# them (its scanned PDF is unverified on every machine); the OCR tests need them and never skip.
TEST_PACKAGES="$DEMO_PACKAGES tesseract-ocr tesseract-ocr-tha"

case "${1:-test}" in
  test) wanted=$TEST_PACKAGES ;;
  demo) wanted=$DEMO_PACKAGES ;;
  *) echo "usage: $0 [test|demo]" >&2; exit 2 ;;
esac

# Playwright's own Chromium (`playwright install chromium`) is used first when present, as
# oit_checker/fetch/browser.py does; then the chromium package is not needed.
playwright_chromium() {
  local root=${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}
  if [ "$root" = 0 ]; then root=$(ls -d .venv/lib/python3*/site-packages/playwright/driver/package/.local-browsers 2>/dev/null | head -n1); fi
  compgen -G "$root/chromium-*/chrome-linux*/chrome" >/dev/null
}

installed() {  # the packages of "$@" that dpkg knows as installed, one a line
  { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null || true; } | awk '$1 == "ii" { print $2 }'
}

if ! command -v dpkg-query >/dev/null; then
  echo "make deps: not a Debian system; make sure these (or your system's equivalents) are installed: $wanted" >&2
  exit 0
fi
here=$(installed $wanted)
missing=""
for package in $wanted; do
  if [ "$package" = chromium ] && playwright_chromium; then continue; fi
  if ! grep -qx "$package" <<<"$here"; then missing="$missing $package"; fi
done
missing=${missing# }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)  # sudo drops the caller's environment
else
  echo "make deps: missing system packages: $missing; install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
  exit 1
fi
echo "make deps: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq </dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends $missing </dev/null >/dev/null
