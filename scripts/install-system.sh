#!/usr/bin/env bash
# Installs what the test suite needs outside Python: LibreOffice Writer (the real-client check),
# poppler-utils (pdftotext/pdfinfo), Liberation fonts (metric-compatible with Times New Roman) and
# HarfBuzz's subsetter (fast font subsetting in WeasyPrint). Idempotent; quiet when all is there.
set -u
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation2)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
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
