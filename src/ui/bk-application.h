/* bk-application.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BK_TYPE_APPLICATION (bk_application_get_type ())

G_DECLARE_FINAL_TYPE (BkApplication, bk_application, BK, APPLICATION, AdwApplication)

BkApplication *bk_application_new          (void);
GSettings     *bk_application_get_settings (BkApplication *self);
gboolean       bk_application_is_demo      (BkApplication *self);

G_END_DECLS
