#!/usr/bin/env bash
# Installs what quyche needs outside Python.
#   scripts/install-system.sh fonts   PDF only: Liberation fonts (metric-compatible with Times New Roman,
#                                     full Vietnamese) and HarfBuzz's subsetter (WeasyPrint subsets fonts
#                                     2.5–2.9× faster with it)
#   scripts/install-system.sh         the test suite too: LibreOffice Writer (the real-client check),
#                                     poppler-utils (pdftotext/pdfinfo), Chromium (the editor's browser
#                                     tests), and a software PKCS#11 token for the USB-token signing tests:
#                                     softhsm2 (the token) and opensc (pkcs11-tool)
# Idempotent; quiet when all is there; says what to install when it cannot (not root, no apt-get).
set -u
need=()
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation2)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
if [ "${1:-all}" != fonts ]; then
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  # the editor's browser tests (tests/web) drive Debian's Chromium through Playwright's driver
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
  command -v pkcs11-tool >/dev/null 2>&1 || need+=(opensc)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "quyche: cần cài ${need[*]} (apt-get install ${need[*]}); các kiểm tra phụ thuộc sẽ bị bỏ qua." >&2
  exit 0
fi
echo "quyche: cài ${need[*]} …" >&2
apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "quyche: không cài được ${need[*]}" >&2
exit 0
