#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-flatpak-manifest.py SRCROOT

Fails when the Flatpak manifest asks for more than Bridgekeeper needs, or
disagrees with what the program tells the Background portal.

Inside Flatpak, Bridgekeeper reaches every desktop service it uses through
portals, which need no permission: running in the background and starting
after login (org.freedesktop.portal.Background: the portal writes the
autostart entry outside the sandbox, so no access to ~/.config/autostart),
notifications (GNotification uses the Notification portal), secrets
(libsecret uses the Secret portal). The demo owns <id>.Demo on the session
bus, which Flatpak allows an application for names under its own ID.
The Background portal is given the command line "<command> --background",
run inside the sandbox: <command> must be the manifest's "command"."""

import json
import os
import re
import sys

root = sys.argv[1]
with open(os.path.join(root, "flatpak", "io.github.bridgekeeper.Bridgekeeper.json"), encoding="utf-8") as fh:
    manifest = json.load(fh)
with open(os.path.join(root, "src", "ui", "bk-background.c"), encoding="utf-8") as fh:
    background_c = fh.read()

failures = []
args = manifest.get("finish-args", [])

for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11"):
    if needed not in args:
        failures.append(f"finish-args lacks {needed}")

# Holes that portals make unnecessary, or that give away the user's files.
forbidden = [
    (r"--socket=session-bus$", "the whole session bus"),
    (r"--talk-name=org\.freedesktop\.portal\.", "portals need no --talk-name"),
    (r"--talk-name=org\.freedesktop\.(Notifications|secrets)$", "notifications and secrets go through portals"),
    (r"--talk-name=org\.gtk\.Notifications$", "notifications go through the portal"),
    (r"--own-name=", "names under the application's ID are allowed without it"),
    (r"--filesystem=(host|home|xdg-config)", "the Background portal writes the autostart entry"),
    (r"--filesystem=.*autostart", "the Background portal writes the autostart entry"),
]
for arg in args:
    for pattern, why in forbidden:
        if re.match(pattern, arg):
            failures.append(f"finish-args has {arg}: not needed ({why})")
            break

m = re.search(r'commandline\[\]\s*=\s*\{\s*"([^"]+)"\s*,\s*BK_BACKGROUND_OPTION', background_c)
if m is None:
    failures.append("src/ui/bk-background.c: no command line for the Background portal found")
elif manifest.get("command") != m.group(1):
    failures.append(f'the Background portal is given "{m.group(1)}" but the manifest\'s command is '
                    f'"{manifest.get("command")}"')

if not manifest.get("id", "").startswith("io.github.bridgekeeper.Bridgekeeper"):
    failures.append("the manifest's id is not Bridgekeeper's")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
