/* bk-value-row.c: a read-only row: a title and its value at the end
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkValueRow"

#include "config.h"

#include "bk-value-row.h"

struct _BkValueRow
{
  AdwActionRow  parent_instance;

  GtkLabel     *label;
};

G_DEFINE_FINAL_TYPE (BkValueRow, bk_value_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bk_value_row_new (const char *title)
{
  return g_object_new (BK_TYPE_VALUE_ROW, "title", title, NULL);
}

void
bk_value_row_set_value (BkValueRow *self,
                        const char *value)
{
  const char *shown = value != NULL && *value != '\0' ? value : "—";

  g_return_if_fail (BK_IS_VALUE_ROW (self));

  if (g_strcmp0 (gtk_label_get_text (self->label), shown) == 0)
    return;
  gtk_label_set_text (self->label, shown);
  /* Long values (a description) are cut on screen: the tooltip has all. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label),
                               value != NULL && g_utf8_strlen (value, -1) > 40 ? value : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

const char *
bk_value_row_get_value (BkValueRow *self)
{
  g_return_val_if_fail (BK_IS_VALUE_ROW (self), NULL);

  return gtk_label_get_text (self->label);
}

static void
bk_value_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BkValueRow *self = BK_VALUE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, bk_value_row_get_value (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_value_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BkValueRow *self = BK_VALUE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      bk_value_row_set_value (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_value_row_class_init (BkValueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bk_value_row_get_property;
  object_class->set_property = bk_value_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_value_row_init (BkValueRow *self)
{
  GtkWidget *label = gtk_label_new ("—");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), label);
  self->label = GTK_LABEL (label);
}
