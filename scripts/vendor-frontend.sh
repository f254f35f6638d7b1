#!/usr/bin/env bash
# Rebuilds the editor's front-end libraries in src/quyche/web/static/vendor/ from the npm registry.
# Run at development time only: `quyche serve` serves these files itself and fetches nothing at run time
# (no CDN). Each library comes with its licence; VERSIONS records what was vendored.
#   htmx.org                  the live parts of the pages (hx-post, polling)
#   pagedjs                   lays the preview's HTML out in A4 pages from the same @page CSS WeasyPrint reads
#   @json-editor/json-editor  the form built from the JSON Schema of the document models
#   codemirror + @codemirror/lang-yaml + @codemirror/lint   the YAML tab, bundled once by esbuild into one file
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/src/quyche/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --silent \
  htmx.org@2.0.11 pagedjs@0.4.3 @json-editor/json-editor@2.17.2 \
  codemirror@6.0.2 @codemirror/lang-yaml@6.1.3 @codemirror/lint@6.9.8 @codemirror/autocomplete@6.20.4 \
  esbuild@0.28.2 >/dev/null
cat > entry.mjs <<'JS'
export { EditorView, basicSetup } from "codemirror";
export { EditorState } from "@codemirror/state";
export { yaml } from "@codemirror/lang-yaml";
export { linter, lintGutter, setDiagnostics, forceLinting } from "@codemirror/lint";
export { autocompletion } from "@codemirror/autocomplete";
JS
npx esbuild entry.mjs --bundle --minify --format=iife --global-name=QuycheCM --legal-comments=none \
  --outfile=codemirror.bundle.js --log-level=warning
rm -rf "$dest"
mkdir -p "$dest/licenses"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/pagedjs/dist/paged.min.js "$dest/paged.min.js"
cp node_modules/@json-editor/json-editor/dist/jsoneditor.js "$dest/jsoneditor.js"
cp node_modules/@json-editor/json-editor/dist/jsoneditor.js.LICENSE.txt "$dest/licenses/jsoneditor.bundled.txt"
cp codemirror.bundle.js "$dest/codemirror.js"
{
  echo "# Vendored by scripts/vendor-frontend.sh from the npm registry; served by quyche serve, never fetched."
  for p in htmx.org pagedjs @json-editor/json-editor codemirror @codemirror/view @codemirror/state \
           @codemirror/lang-yaml @codemirror/lint @codemirror/autocomplete @codemirror/language @lezer/yaml esbuild; do
    node -e "const j=require('./node_modules/$p/package.json');console.log(j.name+'@'+j.version+'  '+(j.license||'?'))"
  done
} > "$dest/VERSIONS"
for p in htmx.org pagedjs @json-editor/json-editor codemirror @codemirror/view @codemirror/state \
         @codemirror/language @codemirror/commands @codemirror/search @codemirror/autocomplete \
         @codemirror/lang-yaml @codemirror/lint @lezer/common @lezer/highlight @lezer/lr @lezer/yaml \
         style-mod w3c-keyname crelt @marijn/find-cluster-break core-js css-tree event-emitter clear-cut; do
  [ -d "node_modules/$p" ] || continue
  lic=$(ls "node_modules/$p" | grep -iE '^(licen[cs]e|copying)' | head -1 || true)
  [ -n "$lic" ] && cp "node_modules/$p/$lic" "$dest/licenses/$(echo "$p" | tr '/@' '__' | sed 's/^_//').txt"
done
echo "vendored into $dest:"; cat "$dest/VERSIONS"
