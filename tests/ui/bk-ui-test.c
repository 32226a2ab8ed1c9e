/* bk-ui-test.c: shared helpers for the in-process GUI tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkUiTest"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bk-ui-test.h"

#define BK_UI_TEST_TIMEOUT_MS 10000

static BkApplication *test_app;

static void
bk_ui_test_release_app (void)
{
  GList *windows;

  if (test_app == NULL)
    return;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (test_app))))
    gtk_window_destroy (windows->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&test_app);
}

void
bk_ui_test_init (int    *argc,
                 char ***argv)
{
  const char *localedir = g_getenv ("BK_LOCALEDIR");

  bk_test_init (argc, argv);

  /* gtk_init_check() calls setlocale(); LANGUAGE etc. come from the test's
   * environment. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    {
      if (g_getenv ("BK_TEST_REQUIRE_DISPLAY") != NULL)
        {
          g_printerr ("FAIL: cannot open a display (DISPLAY=%s, WAYLAND_DISPLAY=%s) and "
                      "BK_TEST_REQUIRE_DISPLAY is set: GUI tests must not be skipped here. "
                      "Run them through build-aux/run-headless.\n",
                      g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)",
                      g_getenv ("WAYLAND_DISPLAY") ? g_getenv ("WAYLAND_DISPLAY") : "(unset)");
          exit (1);
        }

      g_printerr ("SKIP: no display; run GUI tests through build-aux/run-headless\n");
      exit (77);
    }

  adw_init ();
  atexit (bk_ui_test_release_app);
}

BkApplication *
bk_ui_test_get_app (void)
{
  g_autoptr(GError) error = NULL;

  if (test_app != NULL)
    return test_app;

  test_app = bk_application_new ();
  /* Tests run in parallel on one session bus: never talk to another
   * instance. */
  g_application_set_flags (G_APPLICATION (test_app),
                           g_application_get_flags (G_APPLICATION (test_app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);

  return test_app;
}

typedef struct
{
  GType       type;
  GtkWindow **except;
  GtkWindow  *found;
} FindToplevel;

static gboolean
bk_ui_test_toplevel_found (gpointer data)
{
  FindToplevel *find = data;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      gboolean excluded = FALSE;

      if (!g_type_is_a (G_OBJECT_TYPE (window), find->type) ||
          !gtk_widget_get_mapped (GTK_WIDGET (window)))
        continue;

      for (guint j = 0; find->except != NULL && find->except[j] != NULL; j++)
        excluded |= (find->except[j] == window);

      if (!excluded)
        {
          find->found = window;
          return TRUE;
        }
    }

  return FALSE;
}

GtkWindow *
bk_ui_test_wait_for_toplevel (GType       type,
                              GtkWindow **except,
                              guint       timeout_ms)
{
  FindToplevel find = { type, except, NULL };

  bk_test_wait_until (bk_ui_test_toplevel_found, &find, timeout_ms);

  return find.found;
}

void
bk_ui_test_quit (BkApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *confirm = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  for (guint i = 0; confirm == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (window), "quit"))
        confirm = ADW_MESSAGE_DIALOG (window);
    }
  /* Without a reference of ours: quitting destroys it with its parent. */
  if (confirm != NULL)
    adw_message_dialog_response (confirm, "quit");
}

BkWindow *
bk_ui_test_open_window (void)
{
  BkApplication *app = bk_ui_test_get_app ();
  g_autoptr(GPtrArray) before = g_ptr_array_new ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    g_ptr_array_add (before, l->data);
  g_ptr_array_add (before, NULL);

  g_application_activate (G_APPLICATION (app));

  return BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW,
                                                  (GtkWindow **) before->pdata,
                                                  BK_UI_TEST_TIMEOUT_MS));
}

static gboolean
bk_ui_test_pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
bk_ui_test_close_window (GtkWindow *window)
{
  GtkWindow *weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  gtk_window_close (window);
  bk_test_wait_until (bk_ui_test_pointer_cleared, &weak, BK_UI_TEST_TIMEOUT_MS);
}

static gboolean
bk_ui_test_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

void
bk_ui_test_wait_mapped (GtkWidget *widget)
{
  bk_test_wait_until (bk_ui_test_is_mapped, widget, BK_UI_TEST_TIMEOUT_MS);
}

static void
bk_ui_test_collect (GtkWidget *widget,
                    GType      type,
                    GPtrArray *found,
                    gboolean   first_only)
{
  if (first_only && found->len > 0)
    return;

  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    {
      g_ptr_array_add (found, widget);
      if (first_only)
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bk_ui_test_collect (child, type, found, first_only);
}

GtkWidget *
bk_ui_test_find_by_type (GtkWidget *root,
                         GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  bk_ui_test_collect (root, type, found, TRUE);

  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

GPtrArray *
bk_ui_test_find_all_by_type (GtkWidget *root,
                             GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  bk_ui_test_collect (root, type, found, FALSE);

  return found;
}

static char *
bk_ui_test_strip_mnemonic (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (*p == '_' && p[1] == '_')
        g_string_append_c (out, *++p);
      else if (*p != '_')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static const char *
bk_ui_test_widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  if (ADW_IS_WINDOW_TITLE (widget))
    return adw_window_title_get_title (ADW_WINDOW_TITLE (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  return gtk_widget_get_tooltip_text (widget);
}

static GtkWidget *
bk_ui_test_find_text_rec (GtkWidget  *widget,
                          const char *wanted)
{
  g_autofree char *text = bk_ui_test_strip_mnemonic (bk_ui_test_widget_text (widget));

  if (g_strcmp0 (text, wanted) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bk_ui_test_find_text_rec (child, wanted);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
bk_ui_test_find_by_text (GtkWidget  *root,
                         const char *text)
{
  g_autofree char *wanted = bk_ui_test_strip_mnemonic (text);

  return bk_ui_test_find_text_rec (root, wanted);
}

/* GTK 4.8 has no getter for accessible properties. The test AT context's
 * check function returns the actual value whenever it differs from the
 * expected one, so compare against a value no label can have. */
static char *
bk_ui_test_get_accessible_label (GtkWidget *widget)
{
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;

  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "\x01 no label is this \x01");
  if (value != NULL && (*value == '\0' || g_str_equal (value, "undefined")))
    g_clear_pointer (&value, g_free);

  return value;
}

static GtkWidget *
bk_ui_test_find_accessible_rec (GtkWidget  *widget,
                                const char *wanted)
{
  /* A GtkLabel's accessible label is its own text: look for controls. */
  g_autofree char *label = GTK_IS_LABEL (widget) ? NULL : bk_ui_test_get_accessible_label (widget);

  if (g_strcmp0 (label, wanted) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bk_ui_test_find_accessible_rec (child, wanted);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
bk_ui_test_find_by_accessible_label (GtkWidget  *root,
                                     const char *label)
{
  return bk_ui_test_find_accessible_rec (root, label);
}

/* The first non-empty label text inside @widget. */
static const char *
bk_ui_test_content_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && *text != '\0')
        return text;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = bk_ui_test_content_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

char *
bk_ui_test_get_accessible_name (GtkWidget *widget)
{
  char *label = bk_ui_test_get_accessible_label (widget);
  const char *text;

  if (label != NULL)
    return label;

  /* GTK itself marks an icon button as labelled by its GtkImage, which gives
   * no name; a relation to anything else counts. The test context prints
   * the relation's targets by type. */
  if (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      g_autofree char *targets = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                                     NULL);

      g_debug ("labelled-by: %s", targets);
      if (targets != NULL && strstr (targets, "GtkImage") == NULL && strstr (targets, "GtkPicture") == NULL)
        return g_strdup_printf ("(labelled by %s)", targets);
    }

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL)
    return bk_ui_test_strip_mnemonic (gtk_button_get_label (GTK_BUTTON (widget)));

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return bk_ui_test_strip_mnemonic (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)));

  if (ADW_IS_PREFERENCES_ROW (widget) && adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)))
    return g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));

  text = bk_ui_test_content_text (widget);
  if (text != NULL)
    return g_strdup (text);

  return NULL;
}

gboolean
bk_ui_test_window_has_toast (GtkWidget *window)
{
  GType toast_widget_type = g_type_from_name ("AdwToastWidget");

  return toast_widget_type != G_TYPE_INVALID &&
         bk_ui_test_find_by_type (window, toast_widget_type) != NULL;
}

char *
bk_ui_test_describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));
      g_autofree char *part = NULL;

      if (id != NULL)
        part = g_strdup_printf ("%s#%s", G_OBJECT_TYPE_NAME (w), id);
      else
        part = g_strdup (G_OBJECT_TYPE_NAME (w));

      if (path->len > 0)
        g_string_prepend (path, " > ");
      g_string_prepend (path, part);
    }

  return g_string_free (path, FALSE);
}

/* Every control a person can reach with the keyboard or a screen reader has
 * a name. Icon-only buttons have none unless one is set. Controls are named
 * as a whole (a menu button, not its inner toggle; a spin button, not its
 * text); lists are named and their rows checked too; a menu button's
 * popover is reached through the button. */
typedef enum
{
  NOT_INTERACTIVE,
  CONTROL,
  CONTAINER,
} Interactive;

static Interactive
classify (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) || GTK_IS_BUTTON (widget))
    return CONTROL;

  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
      return CONTROL;
    case GTK_ACCESSIBLE_ROLE_LIST:
    case GTK_ACCESSIBLE_ROLE_TREE_GRID:
    case GTK_ACCESSIBLE_ROLE_GRID:
      return CONTAINER;
    default:
      return NOT_INTERACTIVE;
    }
}

static void
check_names (GtkWidget *widget,
             GPtrArray *unnamed,
             guint     *n_checked)
{
  Interactive kind = classify (widget);
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  if (kind != NOT_INTERACTIVE)
    {
      g_autofree char *name = bk_ui_test_get_accessible_name (widget);
      g_autofree char *path = bk_ui_test_describe (widget);

      /* The text field of an entry row is named by the row's title
       * (libadwaita labels it with it). */
      if ((name == NULL || *name == '\0') && ADW_IS_ENTRY_ROW (row) && GTK_IS_TEXT (widget))
        name = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

      (*n_checked)++;
      if (name == NULL || *name == '\0')
        g_ptr_array_add (unnamed, g_steal_pointer (&path));
      else
        g_test_message ("named \"%s\": %s", name, path);
    }

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    check_names (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))), unnamed, n_checked);

  if (kind == CONTROL)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_POPOVER (child) && GTK_IS_MENU_BUTTON (widget))
        continue;
      check_names (child, unnamed, n_checked);
    }
}

void
bk_ui_test_assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  check_names (root, unnamed, &n_checked);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *) g_ptr_array_index (unnamed, i));
  g_assert_cmpuint (n_checked, >, 0);
  g_assert_cmpuint (unnamed->len, ==, 0);
}

/* What @widget drew in its last frame, or NULL when it was invalidated
 * since (the paintable shows its last render node). */
static GskRenderNode *
widget_drawn (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
has_drawn (gpointer data)
{
  g_autoptr(GskRenderNode) node = widget_drawn (data);

  return node != NULL;
}

void
bk_ui_test_pixel (GtkWidget *widget,
                  double     x,
                  double     y,
                  GdkRGBA   *rgba)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar bgra[4];

  /* Invalidated and not drawn yet: its next frame draws it. */
  bk_test_wait_until (has_drawn, widget, 10000);
  node = widget_drawn (widget);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (floor (x), floor (y), 1, 1));
  /* GDK_MEMORY_DEFAULT: B, G, R, A in memory, premultiplied. */
  gdk_texture_download (texture, bgra, 4);
  rgba->alpha = bgra[3] / 255.0;
  rgba->red = bgra[3] > 0 ? bgra[2] / (double) bgra[3] : 0;
  rgba->green = bgra[3] > 0 ? bgra[1] / (double) bgra[3] : 0;
  rgba->blue = bgra[3] > 0 ? bgra[0] / (double) bgra[3] : 0;
}

gboolean
bk_ui_test_color_near (const GdkRGBA *a,
                       const GdkRGBA *b,
                       double         tolerance)
{
  return fabs (a->red - b->red) <= tolerance && fabs (a->green - b->green) <= tolerance &&
         fabs (a->blue - b->blue) <= tolerance && fabs (a->alpha - b->alpha) <= tolerance;
}
