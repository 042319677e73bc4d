# Sourced by scripts/run and scripts/test: installs the Debian packages the product
# needs beside its Python dependencies, and nothing when they are already there.
#   ensure_debian_packages PACKAGE…
# Missing packages are installed with apt-get when we are root; otherwise the script
# stops and says what to install (a missing PDF library or browser is never skipped).
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Thiếu gói Debian: ${missing[*]}. Chạy 'sudo apt-get install ${missing[*]}' rồi thử lại." >&2
    echo "(Missing Debian packages: ${missing[*]}; install them, then run this again.)" >&2
    exit 1
  fi
  echo "Cài gói Debian (installing Debian packages): ${missing[*]}…" >&2
  # Quiet when it works; the whole apt log when it does not.
  local apt_log
  apt_log="$(mktemp)"
  if ! { apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; \
       } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    echo "Không cài được ${missing[*]} (apt-get install failed)." >&2
    exit 1
  fi
  rm -f "$apt_log"
}

# WeasyPrint draws the PDF exports with Pango; DejaVu covers Vietnamese diacritics.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
# The tests drive Debian's chromium (tests/browser) and read every PDF export back with
# poppler's pdftotext -bbox, to check that nothing leaves the page or overlaps (tests/support/pdf_layout.py).
TEST_PACKAGES=(chromium poppler-utils)
