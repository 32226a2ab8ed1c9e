/* bk-busy.c: the "busy" flag and progress of a long operation
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBusy"

#include "config.h"

#include "bk-busy.h"

void
bk_busy_make_properties (GParamSpec **busy_pspec,
                         GParamSpec **progress_pspec,
                         GParamSpec **text_pspec)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  *busy_pspec = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  *progress_pspec = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, ro);
  *text_pspec = g_param_spec_string ("progress-text", NULL, NULL, NULL, ro);
}

gboolean
bk_busy_get_property (BkBusy     *busy,
                      GParamSpec *pspec,
                      GValue     *value)
{
  if (pspec == busy->busy_pspec)
    g_value_set_boolean (value, busy->busy);
  else if (pspec == busy->progress_pspec)
    g_value_set_double (value, busy->progress);
  else if (pspec == busy->text_pspec)
    g_value_set_string (value, busy->text);
  else
    return FALSE;
  return TRUE;
}

void
bk_busy_init (BkBusy     *busy,
              GObject    *owner,
              GParamSpec *busy_pspec,
              GParamSpec *progress_pspec,
              GParamSpec *text_pspec)
{
  busy->owner = owner;
  busy->busy_pspec = busy_pspec;
  busy->progress_pspec = progress_pspec;
  busy->text_pspec = text_pspec;
  busy->busy = FALSE;
  busy->progress = -1;
  busy->text = NULL;
}

void
bk_busy_clear (BkBusy *busy)
{
  g_clear_pointer (&busy->text, g_free);
}

void
bk_busy_set (BkBusy   *busy,
             gboolean  value)
{
  if (busy->busy == value)
    return;
  busy->busy = value;
  if (!value)
    {
      busy->progress = -1;
      g_clear_pointer (&busy->text, g_free);
      g_object_notify_by_pspec (busy->owner, busy->progress_pspec);
      g_object_notify_by_pspec (busy->owner, busy->text_pspec);
    }
  g_object_notify_by_pspec (busy->owner, busy->busy_pspec);
}

void
bk_busy_progress_cb (double      fraction,
                     const char *text,
                     gpointer    user_data)
{
  BkBusy *busy = user_data;

  if (busy->progress != fraction)
    {
      busy->progress = fraction;
      g_object_notify_by_pspec (busy->owner, busy->progress_pspec);
    }
  if (g_strcmp0 (busy->text, text) != 0)
    {
      g_free (busy->text);
      busy->text = g_strdup (text);
      g_object_notify_by_pspec (busy->owner, busy->text_pspec);
    }
}
