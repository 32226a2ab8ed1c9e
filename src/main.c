/* main.c
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
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

  setlocale (LC_ALL, "");
  /* BK_LOCALEDIR lets an uninstalled build (build-aux/bootstrap run, tests)
   * use the translations compiled in its build directory. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BK_LOCALEDIR") ? g_getenv ("BK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
