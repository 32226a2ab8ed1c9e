/* test-ui-i18n-device.c: a bridge's page in Traditional Chinese
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with LANGUAGE=zh_TW (see meson.build) against the simulator. Every
 * tab of the device page is shown and every label on screen is checked: a
 * label whose text the catalogue translates must not be shown in English
 * (that happens when a string is marked N_() but never passed through
 * gettext, or shown before the locale is set). BK_SCREENSHOT_DIR saves a
 * screenshot of each tab.
 */

#define G_LOG_DOMAIN "TestUiI18nDevice"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-bridge-ui-test.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS

static gboolean
page_checked (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);

  return bk_bridge_get_status (bridge) != NULL && !bk_bridge_get_busy (bridge) &&
         bk_device_get_last_checked (bk_bridge_get_device (bridge)) != NULL;
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* Fails on a shown label that the catalogue would translate. Returns how
 * many labels were looked at. */
static guint
check_labels (GtkWidget  *root,
              const char *where)
{
  g_autoptr(GPtrArray) labels = bk_ui_test_find_all_by_type (root, GTK_TYPE_LABEL);
  guint n_checked = 0;
  guint n_han = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *raw = gtk_label_get_label (GTK_LABEL (label));
      const char *text = gtk_label_get_text (GTK_LABEL (label));

      if (!gtk_widget_get_mapped (label) || text == NULL || *text == '\0')
        continue;
      n_checked++;
      if (has_han (text))
        n_han++;
      else
        g_test_message ("%s: not Chinese (data?): %s", where, text);

      if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, raw), raw) != 0 ||
          g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, text), text) != 0)
        {
          g_autofree char *path = bk_ui_test_describe (label);

          g_error ("%s: \"%s\" is shown in English although it is translated, at %s",
                   where, text, path);
        }
    }

  g_test_message ("%s: %u labels, %u in Chinese", where, n_checked, n_han);
  /* Each tab shows our own text, not only data. */
  g_assert_cmpuint (n_han, >=, 5);
  return n_checked;
}

/* Under the asan and valgrind test setups code runs several times slower:
 * give the keyring as much more time. */
static void
scale_keyring_timeout (void)
{
  const char *scale = g_getenv ("BK_TEST_TIME_SCALE");
  BkSecrets *secrets = bk_application_get_secrets (bk_ui_test_get_app ());

  if (scale != NULL && secrets != NULL && g_ascii_strtoull (scale, NULL, 10) > 1)
    bk_secrets_set_timeout (secrets, BK_SECRETS_DEFAULT_TIMEOUT_MS * g_ascii_strtoull (scale, NULL, 10));
}

static void
test_device_page (void)
{
  g_autoptr(BkSimCluster) sim = bk_bridge_ui_test_start_sim (2);
  BkWindow *window;

  scale_keyring_timeout ();
  window = bk_ui_test_open_window ();
  BkDevice *device;
  BkDevicePage *page;
  const struct { const char *tab; const char *sub; } tabs[] = {
    { "summary", NULL },
    { "settings", "view" },
    { "settings", "edit" },
    { "settings", "extended" },
    { "settings", "filters" },
    { "clustering", NULL },
    { "connection", NULL },
    { "permissions", NULL },
    { "logs", NULL },
  };

  /* The catalogue is the build's and is used. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Summary"), ==, "摘要");

  device = bk_bridge_ui_test_onboard (sim, "CMS Core Primary", "acanolab2.example.com", 5);

  bk_window_select_device (window, device);
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  bk_test_wait_until (page_checked, page, TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s%s%s", tabs[i].tab,
                                                tabs[i].sub ? "-" : "", tabs[i].sub ? tabs[i].sub : "");
      g_autofree char *shot = g_strdup_printf ("device-%s-zh_TW", where);

      bk_device_page_show_tab (page, tabs[i].tab, tabs[i].sub);
      bk_test_spin (300); /* transitions */
      g_assert_cmpuint (check_labels (GTK_WIDGET (window), where), >, 5);
      bk_bridge_ui_test_screenshot (GTK_WIDGET (window), shot);
    }

  /* The store outlives the window: removing its bridges after the window
   * closed must not reach the closed window (it did, and crashed). */
  bk_ui_test_close_window (GTK_WINDOW (window));
  bk_bridge_ui_test_clear_store ();
}

int
main (int   argc,
      char *argv[])
{
  bk_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/i18n/zh_TW/device-page", test_device_page);

  return g_test_run ();
}
