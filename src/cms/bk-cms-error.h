/* bk-cms-error.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BK_CMS_ERROR (bk_cms_error_quark ())

GQuark bk_cms_error_quark (void);

G_END_DECLS
