#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-po-complete.py SRCROOT LANG...

Fails when a translation lacks a string that the sources have now: extracts a
fresh template from po/POTFILES.in with the same xgettext options as meson's
glib preset, merges each LANG.po with it in a temporary directory and counts
untranslated and fuzzy entries. Refresh a translation with
  meson compile -C BUILDDIR bridgekeeper-pot
  msgmerge --update po/LANG.po po/bridgekeeper.pot
"""
import os
import re
import subprocess
import sys
import tempfile

XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]


def statistics(po):
    out = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, po],
                         capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    if out.returncode != 0:
        sys.exit(f"msgfmt failed on {po}:\n{out.stderr}")
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out.stderr):
        counts[kind] = int(n)
    return counts


def main():
    srcroot = sys.argv[1]
    podir = os.path.join(srcroot, "po")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "fresh.pot")
        subprocess.run(["xgettext", "--package-name=bridgekeeper", "-D", srcroot,
                        "-f", os.path.join(podir, "POTFILES.in"), "-o", pot] + XGETTEXT_ARGS,
                       check=True)
        for lang in sys.argv[2:]:
            po = os.path.join(podir, lang + ".po")
            own = statistics(po)
            merged = os.path.join(tmp, lang + ".po")
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot],
                           check=True)
            fresh = statistics(merged)
            print(f"{lang}: {own['translated']} translated, {own['fuzzy']} fuzzy, "
                  f"{own['untranslated']} untranslated in the file; "
                  f"{fresh['untranslated']} strings of the sources missing")
            if own["fuzzy"] or own["untranslated"] or fresh["untranslated"] or fresh["fuzzy"]:
                failed = True
                missing = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", merged],
                                         capture_output=True, text=True).stdout
                print(f"{lang}: not translated yet:\n{missing}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
