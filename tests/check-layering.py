#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a lower layer reaches upward.

src/cms, src/core and src/sim must not include GTK, GDK or libadwaita headers;
cms and sim must not include core or ui headers; core must not include sim or
ui headers. Headers are matched by name against the files of each layer."""

import os
import re
import sys

root = sys.argv[1]
src = os.path.join(root, "src")
include_re = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
toolkit_re = re.compile(r'^(gtk/|gdk/|gsk/|adwaita\.h|gtk\.h|gdk\.h|libadwaita)')

def headers_of(layer):
    out = set()
    for dirpath, _, files in os.walk(os.path.join(src, layer)):
        out.update(f for f in files if f.endswith(".h"))
    return out

layers = {name: headers_of(name) for name in ("cms", "core", "sim", "ui")}
forbidden = {
    "cms": ("core", "sim", "ui"),
    "core": ("sim", "ui"),
    "sim": ("cms", "core", "ui"),
}

failures = []
for layer, above in forbidden.items():
    for dirpath, _, files in os.walk(os.path.join(src, layer)):
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            for inc in include_re.findall(text):
                rel = os.path.relpath(path, root)
                if toolkit_re.match(inc):
                    failures.append(f"{rel}: includes toolkit header {inc}")
                base = os.path.basename(inc)
                for other in above:
                    if base in layers[other] and base not in layers[layer]:
                        failures.append(f"{rel}: includes {inc} from src/{other}, a higher layer")

for line in failures:
    print(line)
if not any(layers.values()):
    print("no sources found under", src)
    sys.exit(1)
sys.exit(1 if failures else 0)
