/* bk-test-util.h: shared helpers for the test programs
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*BkTestPredicate) (gpointer data);

/* Call instead of g_test_init(): points XDG_DATA_HOME, XDG_CONFIG_HOME,
 * XDG_CACHE_HOME and XDG_STATE_HOME at a fresh private directory (removed at
 * exit), so no test can touch the user's files or another test's. */
void         bk_test_init          (int            *argc,
                                    char         ***argv);

/* The private directory made by bk_test_init(). */
const char  *bk_test_get_tmpdir    (void);

/* @ms stretched by BK_TEST_TIME_SCALE (set by the slow test setups). */
guint        bk_test_scale_ms      (guint            ms);

/* Iterates the default main context until @predicate returns TRUE. Fails the
 * test when @timeout_ms (stretched likewise) passes first, so a hang can
 * never block CI. */
void         bk_test_wait_until    (BkTestPredicate  predicate,
                                    gpointer         data,
                                    guint            timeout_ms);

/* Iterates the default main context for @ms milliseconds. */
void         bk_test_spin          (guint            ms);

/* Removes a directory tree. */
void         bk_test_rm_rf         (const char      *path);

G_END_DECLS
