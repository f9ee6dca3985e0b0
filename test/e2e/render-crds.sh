#!/usr/bin/env bash
# Render CRDs for the Kubernetes 1.20 apiserver used by the e2e tests.
#
#   test/e2e/render-crds.sh SRC_DIR OUT_DIR
#
# Copies every *.yaml / *.yml in SRC_DIR that holds a CustomResourceDefinition (so not a
# kustomization.yaml) to OUT_DIR, removing
#   * every `default: ""` line: the 1.20 apiserver decodes that default as
#     null and then rejects the CRD ("must not be null" / structural schema);
#   * every `x-kubernetes-validations:` block (CEL validation rules arrived in
#     1.23 alpha / 1.25 beta; 1.20 rejects the unknown field with `kubectl
#     create`'s strict decoding and would prune it anyway).
#
# That is all Gateway API's v1.5.1 standard-channel CRDs need on 1.20 (checked: all seven are
# Established there and HTTPRoute still serves v1beta1).
#
# The rewrite is line based (no YAML library needed, formatting and comments
# kept). It understands block scalars (`|`, `>-`, ...) so text inside a
# description is never taken for a key. A removed `x-kubernetes-validations:`
# block is the key line plus every following line indented deeper, plus the
# sequence items (`- ...`) at the key's own indentation, which is how
# controller-gen writes lists.
#
# If python3 has PyYAML, the output is checked structurally: it must be equal
# to the input with exactly those keys removed.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SRC_DIR OUT_DIR" >&2
  exit 2
fi
SRC_DIR=$1
OUT_DIR=$2
[[ -d "$SRC_DIR" ]] || { echo "render-crds: no such directory: $SRC_DIR" >&2; exit 2; }
command -v python3 >/dev/null || { echo "render-crds: python3 is required" >&2; exit 2; }
mkdir -p "$OUT_DIR"

python3 - "$SRC_DIR" "$OUT_DIR" <<'PY'
import os, re, sys

src_dir, out_dir = sys.argv[1], sys.argv[2]

KEY_RE = re.compile(r'^(\s*)(-\s+)?([^\s#"\'][^:]*?|"[^"]*"|\'[^\']*\'):(\s|$)')
BLOCK_SCALAR_RE = re.compile(r':\s*[|>][-+0-9]*\s*(#.*)?$')
DEFAULT_EMPTY_RE = re.compile(r'^\s*default:\s*(""|\'\')\s*$')
CEL_RE = re.compile(r'^(\s*)x-kubernetes-validations:\s*$')


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


def render(lines):
    out = []
    removed_defaults = removed_cel = 0
    i, n = 0, len(lines)
    block_indent = None          # indentation of the key owning a block scalar
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if block_indent is not None:
            if stripped == '' or indent_of(line) > block_indent:
                out.append(line)
                i += 1
                continue
            block_indent = None
        if DEFAULT_EMPTY_RE.match(line):
            removed_defaults += 1
            i += 1
            continue
        m = CEL_RE.match(line)
        if m:
            ind = len(m.group(1))
            removed_cel += 1
            i += 1
            while i < n:
                l = lines[i]
                s = l.strip()
                if s == '' or indent_of(l) > ind or (indent_of(l) == ind and s.startswith('- ')) or s == '-':
                    i += 1
                    continue
                break
            continue
        if BLOCK_SCALAR_RE.search(line) and KEY_RE.match(line):
            # the block's content is indented deeper than the key (for a
            # `- key: |` item, deeper than the item's key column)
            km = KEY_RE.match(line)
            block_indent = len(km.group(1)) + (len(km.group(2)) if km.group(2) else 0)
        out.append(line)
        i += 1
    return out, removed_defaults, removed_cel


def strip_tree(node):
    """Reference transformation for the structural check."""
    if isinstance(node, dict):
        return {k: strip_tree(v) for k, v in node.items()
                if k != 'x-kubernetes-validations' and not (k == 'default' and v == '')}
    if isinstance(node, list):
        return [strip_tree(v) for v in node]
    return node


try:
    import yaml
    Loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
except ImportError:
    yaml = None

CRD_KIND_RE = re.compile(r'^kind:\s*CustomResourceDefinition\s*$', re.M)
names = sorted(f for f in os.listdir(src_dir) if f.endswith(('.yaml', '.yml')))
if not names:
    sys.exit('render-crds: no *.yaml in %s' % src_dir)
for name in names:
    with open(os.path.join(src_dir, name), encoding='utf-8') as f:
        text = f.read()
    if not CRD_KIND_RE.search(text):
        # e.g. manifests/crds/kustomization.yaml: not a CRD, kubectl could not apply it
        print('render-crds: %-45s skipped (no CustomResourceDefinition)' % name)
        continue
    lines = text.split('\n')
    out, nd, nc = render(lines)
    rendered = '\n'.join(out)
    with open(os.path.join(out_dir, name), 'w', encoding='utf-8') as f:
        f.write(rendered)
    check = 'not checked (no PyYAML)'
    if yaml is not None:
        want = [strip_tree(d) for d in yaml.load_all(text, Loader=Loader)]
        got = list(yaml.load_all(rendered, Loader=Loader))
        if want != got:
            sys.exit('render-crds: %s: line-based rewrite differs from the structural one' % name)
        if 'x-kubernetes-validations' in rendered:
            sys.exit('render-crds: %s: x-kubernetes-validations left over' % name)
        check = 'checked'
    print('render-crds: %-45s removed %3d default:"" and %3d x-kubernetes-validations blocks (%s)'
          % (name, nd, nc, check))
PY
