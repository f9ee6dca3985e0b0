#!/usr/bin/env bash
# Rewrites the `webhook serve --help` block of docs/configuration.md from the built jar
# (`make docs`; ConfigurationDocTest fails while they differ).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
help=$(./webhook serve --help)
HELP="$help" python3 - <<'PY'
import os, re
path = "docs/configuration.md"
text = open(path).read()
block = "<!-- serve-help -->\n```text\n" + os.environ["HELP"].rstrip("\n") + "\n```\n<!-- /serve-help -->"
text = re.sub(r"<!-- serve-help -->.*?<!-- /serve-help -->", lambda m: block, text, flags=re.S)
open(path, "w").write(text)
PY
echo "configuration-doc: docs/configuration.md updated" >&2
