#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from po/POTFILES.in,
or when POTFILES.in names a file that does not exist."""

import os
import re
import sys

root = sys.argv[1]
with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as fh:
    listed = {l.strip() for l in fh if l.strip() and not l.startswith("#")}

marker_c = re.compile(r'\b(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
marker_ui = re.compile(r'translatable="yes"')
failures = []

for top in ("src", "data"):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for f in files:
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            if f.endswith((".c", ".h")):
                pattern = marker_c
            elif f.endswith((".ui", ".blp")):
                pattern = marker_ui
            elif f.endswith((".desktop.in.in", ".metainfo.xml.in.in", ".gschema.xml")):
                pattern = re.compile(r".")
            else:
                continue
            with open(path, encoding="utf-8") as fh:
                if pattern.search(fh.read()) and rel not in listed:
                    failures.append(f"{rel} has translatable strings but is not in po/POTFILES.in")

for rel in sorted(listed):
    if not os.path.exists(os.path.join(root, rel)):
        failures.append(f"po/POTFILES.in lists {rel}, which does not exist")

print("\n".join(failures))
sys.exit(1 if failures else 0)
