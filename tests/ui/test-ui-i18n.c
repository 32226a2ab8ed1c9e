/* test-ui-i18n.c: the window in Traditional Chinese
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with LANGUAGE=zh_TW (see meson.build) and the build's translations.
 */

#define G_LOG_DOMAIN "TestUiI18n"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-ui-test.h"

#define TIMEOUT_MS 10000

/* Text on screen that need not be translated. */
static gboolean
is_untranslatable (const char *text)
{
  static const char *allowed[] = { "Bridgekeeper", "CMS", "API", NULL };
  gboolean has_latin_word = FALSE;

  if (g_strv_contains (allowed, text))
    return TRUE;

  /* Text with Han characters is translated; text without letters (numbers,
   * punctuation) needs no translation. */
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        return TRUE;
      if (g_ascii_isalpha (*p))
        has_latin_word = TRUE;
    }

  return !has_latin_word;
}

static void
test_window_translated (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWidget *page;
  GtkWidget *button;
  g_autoptr(GPtrArray) labels = NULL;
  guint n_checked = 0;

  /* The translation comes from the build's catalogue. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "No Bridges Yet"), ==, "尚無網橋");

  page = bk_ui_test_find_by_text (GTK_WIDGET (window), "尚無網橋");
  g_assert_nonnull (page);
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  bk_ui_test_wait_mapped (page);
  g_assert_null (bk_ui_test_find_by_text (GTK_WIDGET (window), "No Bridges Yet"));

  button = bk_ui_test_find_by_text (page, "新增網橋(_A)");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bridgekeeper");

  /* The icon buttons' names and tooltips are translated too. */
  g_assert_nonnull (bk_ui_test_find_by_accessible_label (GTK_WIDGET (window), "新增網橋"));
  g_assert_nonnull (bk_ui_test_find_by_accessible_label (GTK_WIDGET (window), "主選單"));

  /* No label on screen is left in English. */
  labels = bk_ui_test_find_all_by_type (GTK_WIDGET (window), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (GTK_LABEL (label));

      if (!gtk_widget_get_mapped (label) || text == NULL || *text == '\0')
        continue;
      g_test_message ("label: %s", text);
      n_checked++;
      if (!is_untranslatable (text))
        {
          g_autofree char *path = bk_ui_test_describe (label);

          g_error ("untranslated label \"%s\" at %s", text, path);
        }
    }
  g_assert_cmpuint (n_checked, >=, 3);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_menu_translated (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  g_autoptr(GPtrArray) buttons = bk_ui_test_find_all_by_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  GtkWidget *button = NULL;
  GtkPopover *popover;

  /* The window's primary menu (the calendar has menu buttons of its own). */
  for (guint i = 0; i < buttons->len && button == NULL; i++)
    if (gtk_menu_button_get_primary (g_ptr_array_index (buttons, i)))
      button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  bk_ui_test_wait_mapped (GTK_WIDGET (popover));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "偏好設定(_P)"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "鍵盤快捷鍵(_K)"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "關於 Bridgekeeper(_A)"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_preferences_translated (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  GtkWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (bk_ui_test_get_app ()), "preferences", NULL);
  prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, TIMEOUT_MS);
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (prefs), "狀態更新間隔"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (prefs), "請求逾時"));
  gtk_window_destroy (prefs);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  bk_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/i18n/zh_TW/window", test_window_translated);
  g_test_add_func ("/ui/i18n/zh_TW/menu", test_menu_translated);
  g_test_add_func ("/ui/i18n/zh_TW/preferences", test_preferences_translated);

  return g_test_run ();
}
