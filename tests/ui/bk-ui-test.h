/* bk-ui-test.h: shared helpers for the in-process GUI tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-application.h"
#include "bk-test-util.h"
#include "bk-window.h"

G_BEGIN_DECLS

/* Call instead of g_test_init() in a GUI test. Gives private XDG dirs (see
 * bk_test_init()), binds the text domain to $BK_LOCALEDIR (the build's po
 * directory), initialises the locale and GTK, and libadwaita.
 *
 * Without a display the test program exits 77 (meson's "skipped"), unless
 * $BK_TEST_REQUIRE_DISPLAY is set: then it exits 1 with a message, so CI can
 * never skip the GUI tests silently. */
void         bk_ui_test_init               (int          *argc,
                                            char       ***argv);

/* The application shared by all tests of one program: created and registered
 * (its startup ran) on first use; never activated by itself. */
BkApplication *bk_ui_test_get_app          (void);

/* Activates the application as a launch would and waits until a new BkWindow
 * is mapped. */
BkWindow    *bk_ui_test_open_window        (void);
/* app.quit as the user chooses it; answers "Quit" when Bridgekeeper asks
 * for confirmation (meetings are due). */
void         bk_ui_test_quit               (BkApplication *app);

/* Asks @window to close as its close button would, and waits until it is
 * gone. */
void         bk_ui_test_close_window       (GtkWindow    *window);

/* Waits until a toplevel window of @type (other than those in @except, a
 * NULL-terminated array or NULL) is mapped, and returns it. */
GtkWindow   *bk_ui_test_wait_for_toplevel  (GType         type,
                                            GtkWindow   **except,
                                            guint         timeout_ms);

/* Waits until @widget is mapped (shown on screen). */
void         bk_ui_test_wait_mapped        (GtkWidget    *widget);

/* Depth-first search below @root (included) for the first widget of @type. */
GtkWidget   *bk_ui_test_find_by_type       (GtkWidget    *root,
                                            GType         type);

/* All widgets of @type below @root (included), depth-first. Free with
 * g_ptr_array_unref(). */
GPtrArray   *bk_ui_test_find_all_by_type   (GtkWidget    *root,
                                            GType         type);

/* Depth-first search below @root for the first widget whose visible text is
 * @text: the text of a GtkLabel, a button's label, the title of an
 * AdwStatusPage, AdwWindowTitle or AdwPreferencesRow, or a tooltip.
 * Mnemonic underscores are ignored on both sides. */
GtkWidget   *bk_ui_test_find_by_text       (GtkWidget    *root,
                                            const char   *text);

/* Depth-first search for a widget whose accessible label (set with
 * GTK_ACCESSIBLE_PROPERTY_LABEL, in a .ui file or in code) is @label.
 * Needs GTK_A11Y=test in the environment. */
GtkWidget   *bk_ui_test_find_by_accessible_label (GtkWidget  *root,
                                                  const char *label);

/* The name a screen reader gets for an interactive @widget, or NULL when it
 * has none: its accessible label or labelled-by relation, else the text it
 * shows (button label, label child). Needs GTK_A11Y=test. */
char        *bk_ui_test_get_accessible_name (GtkWidget   *widget);

/* Whether a toast is shown in @window (its AdwToastOverlay). */
gboolean     bk_ui_test_window_has_toast   (GtkWidget    *window);

/* A path from the toplevel to @widget (types and buildable ids), for
 * messages. */
char        *bk_ui_test_describe           (GtkWidget    *widget);

/* Fails when an interactive widget below @root has no accessible name. */
void         bk_ui_test_assert_all_named (GtkWidget *root);

/* The colour of the pixel at (@x, @y) of @widget (its coordinates) as
 * the window's renderer draws the widget now, with its children. */
void         bk_ui_test_pixel              (GtkWidget    *widget,
                                            double        x,
                                            double        y,
                                            GdkRGBA      *rgba);
/* Whether @a and @b differ by at most @tolerance (0..1) in each channel. */
gboolean     bk_ui_test_color_near         (const GdkRGBA *a,
                                            const GdkRGBA *b,
                                            double         tolerance);

G_END_DECLS
