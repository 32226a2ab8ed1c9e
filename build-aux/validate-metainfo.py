#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs `appstreamcli validate --no-net --strict` on a metainfo file.

AppStream before 1.0 (Debian 12 has 0.16) does not know the <developer>
element that current stores require, and reports it as an unknown tag. For
such versions the element is checked here (an id and a name) and a copy with
the older <developer_name> spelling is validated strictly instead."""

import re
import subprocess
import sys
import tempfile

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
version = subprocess.run(["appstreamcli", "--version"], capture_output=True, text=True).stdout
match = re.search(r"(\d+)\.(\d+)", version)
major = int(match.group(1)) if match else 0

if major < 1:
    dev = re.search(r'<developer id="([^"]+)">\s*<name[^>]*>([^<]+)</name>\s*</developer>', text)
    if not dev:
        print("metainfo: <developer> needs an id attribute and a <name>")
        sys.exit(1)
    text = text.replace(dev.group(0), "<developer_name>%s</developer_name>" % dev.group(2))
    with tempfile.NamedTemporaryFile("w", suffix=".metainfo.xml", delete=False) as tmp:
        tmp.write(text)
        path = tmp.name

sys.exit(subprocess.run(["appstreamcli", "validate", "--no-net", "--strict", "--explain", path]).returncode)
