#!/usr/bin/env bash
# Every string the workstation shows has a Dutch translation: the catalogue holds every msgid
# found in gui/ today, none untranslated or fuzzy. Run scripts/update-translations to refresh.
set -euo pipefail
root=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$root"
find gui -name '*.cpp' -o -name '*.h' | sort > "$tmp/files"
xgettext --from-code=UTF-8 --language=C++ -k_ -kN_ -kwxPLURAL:1,2 -kwxTRANSLATE --no-location --sort-output \
  -f "$tmp/files" -o "$tmp/now.pot"
python3 - "$tmp/now.pot" gui/i18n/nl.po <<'PY'
import re, sys
def entries(path):
    text = open(path, encoding="utf-8").read()
    out = {}
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not m: continue
        mid = "".join(re.findall(r'"(.*)"', m.group(1)))
        if not mid: continue
        s = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M) or re.search(r'^msgstr\[0\] ((?:".*"\n?)+)', block, re.M)
        out[mid] = ("".join(re.findall(r'"(.*)"', s.group(1))) if s else "", "fuzzy" in block.split("msgid")[0])
    return out
now, nl = entries(sys.argv[1]), entries(sys.argv[2])
missing = [m for m in now if m not in nl]
empty = [m for m in now if m in nl and not nl[m][0]]
fuzzy = [m for m in now if m in nl and nl[m][1]]
for name, items in (("not in nl.po", missing), ("untranslated", empty), ("fuzzy", fuzzy)):
    for m in items[:20]:
        print(f"{name}: {m!r}")
if missing or empty or fuzzy:
    print(f"FAILED: {len(missing)} missing, {len(empty)} untranslated, {len(fuzzy)} fuzzy of {len(now)} strings; run scripts/update-translations and translate")
    sys.exit(1)
print(f"all {len(now)} strings of the workstation have a Dutch translation")
PY
