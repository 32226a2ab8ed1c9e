/* bk-busy.h: the "busy" flag and progress of a long operation
 *
 * Internal to bkcore (the UI does not include it): BkOnboarding and BkBridge
 * both expose read-only "busy", "progress" (-1 when unknown) and
 * "progress-text" properties; BkBusy keeps the three values and notifies
 * the owner's properties when they change.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  GObject    *owner;          /* not a reference: the owner embeds us */
  GParamSpec *busy_pspec;
  GParamSpec *progress_pspec;
  GParamSpec *text_pspec;

  gboolean    busy;
  double      progress;       /* 0..1, or -1 when unknown */
  char       *text;
} BkBusy;

/* Makes the owner class's three read-only properties. */
void     bk_busy_make_properties (GParamSpec **busy_pspec,
                                  GParamSpec **progress_pspec,
                                  GParamSpec **text_pspec);

/* Called from the owner's instance init, once the properties exist. */
void     bk_busy_init            (BkBusy      *busy,
                                  GObject     *owner,
                                  GParamSpec  *busy_pspec,
                                  GParamSpec  *progress_pspec,
                                  GParamSpec  *text_pspec);
void     bk_busy_clear           (BkBusy      *busy);

/* For the owner's get_property: TRUE when @pspec is one of the three. */
gboolean bk_busy_get_property    (BkBusy      *busy,
                                  GParamSpec  *pspec,
                                  GValue      *value);

/* Leaving the busy state also forgets the progress. */
void     bk_busy_set             (BkBusy      *busy,
                                  gboolean     value);

/* A BkReservationProgressFunc: @user_data is the BkBusy. */
void     bk_busy_progress_cb     (double       fraction,
                                  const char  *text,
                                  gpointer     user_data);

G_END_DECLS
