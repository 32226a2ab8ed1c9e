/* bk-value-row.h: a read-only row: a title and its value at the end
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BK_TYPE_VALUE_ROW (bk_value_row_get_type ())
G_DECLARE_FINAL_TYPE (BkValueRow, bk_value_row, BK, VALUE_ROW, AdwActionRow)

/*
 * Property "value" (string): shown dimmed at the end of the row, "—" when
 * NULL or empty, cut at the end when long (the tooltip then has it all).
 * Usable in .ui files: <object class="BkValueRow" id="…"> with "title".
 */
GtkWidget  *bk_value_row_new        (const char *title);
void        bk_value_row_set_value  (BkValueRow *self,
                                     const char *value);
/* The text shown ("—" for no value). */
const char *bk_value_row_get_value  (BkValueRow *self);

G_END_DECLS
