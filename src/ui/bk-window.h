/* bk-window.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-application.h"

G_BEGIN_DECLS

#define BK_TYPE_WINDOW (bk_window_get_type ())

G_DECLARE_FINAL_TYPE (BkWindow, bk_window, BK, WINDOW, AdwApplicationWindow)

BkWindow *bk_window_new              (BkApplication *application);
void      bk_window_show_preferences (BkWindow      *self);
void      bk_window_add_toast        (BkWindow      *self,
                                      AdwToast      *toast);

G_END_DECLS
