/* bk-ui-run.c: runs the real application from the build tree, translated
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Same as src/main.c, except that the translations come from $BK_LOCALEDIR
 * (the build's po directory) when it is set, so an uninstalled build can be
 * looked at in another language. Used by build-aux/screenshot.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bk-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BkApplication) app = NULL;
  const char *localedir = g_getenv ("BK_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
