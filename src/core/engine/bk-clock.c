/* bk-clock.c: the abstract wall clock (deadline bookkeeping and signals)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkClock"

#include "config.h"

#include "bk-clock.h"

typedef struct
{
  GDateTime *deadline;   /* UTC, or NULL */
} BkClockPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BkClock, bk_clock, G_TYPE_OBJECT)

enum
{
  SIGNAL_ALARM,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
bk_clock_finalize (GObject *object)
{
  BkClockPrivate *priv = bk_clock_get_instance_private (BK_CLOCK (object));

  g_clear_pointer (&priv->deadline, g_date_time_unref);
  G_OBJECT_CLASS (bk_clock_parent_class)->finalize (object);
}

static void
bk_clock_class_init (BkClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bk_clock_finalize;

  /**
   * BkClock::alarm:
   * @deadline: the deadline that was reached (UTC)
   *
   * The wall clock reached the armed deadline. The clock is disarmed before
   * the signal is emitted, so a handler may arm the next deadline.
   */
  signals[SIGNAL_ALARM] =
    g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_DATE_TIME | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * BkClock::changed:
   *
   * The wall clock jumped or the machine resumed from suspend: what was
   * planned on the old time must be planned again.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bk_clock_init (BkClock *self)
{
}

GDateTime *
bk_clock_now (BkClock *self)
{
  g_return_val_if_fail (BK_IS_CLOCK (self), NULL);

  return BK_CLOCK_GET_CLASS (self)->now (self);
}

void
bk_clock_arm (BkClock   *self,
              GDateTime *deadline)
{
  BkClockPrivate *priv;

  g_return_if_fail (BK_IS_CLOCK (self));

  priv = bk_clock_get_instance_private (self);
  g_clear_pointer (&priv->deadline, g_date_time_unref);
  if (deadline != NULL)
    priv->deadline = g_date_time_to_utc (deadline);
  BK_CLOCK_GET_CLASS (self)->rearm (self, priv->deadline);
}

void
bk_clock_disarm (BkClock *self)
{
  bk_clock_arm (self, NULL);
}

GDateTime *
bk_clock_get_deadline (BkClock *self)
{
  BkClockPrivate *priv;

  g_return_val_if_fail (BK_IS_CLOCK (self), NULL);

  priv = bk_clock_get_instance_private (self);
  return priv->deadline;
}

void
bk_clock_expired (BkClock *self)
{
  BkClockPrivate *priv;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) reached = NULL;

  g_return_if_fail (BK_IS_CLOCK (self));

  priv = bk_clock_get_instance_private (self);
  if (priv->deadline == NULL)
    return;
  now = bk_clock_now (self);
  if (g_date_time_compare (now, priv->deadline) < 0)
    {
      /* Early (the clock went back meanwhile): wait on. */
      BK_CLOCK_GET_CLASS (self)->rearm (self, priv->deadline);
      return;
    }
  reached = g_steal_pointer (&priv->deadline);
  BK_CLOCK_GET_CLASS (self)->rearm (self, NULL);
  g_signal_emit (self, signals[SIGNAL_ALARM], 0, reached);
}

void
bk_clock_changed (BkClock *self)
{
  BkClockPrivate *priv;
  g_autoptr(GObject) hold = NULL;

  g_return_if_fail (BK_IS_CLOCK (self));

  hold = g_object_ref (G_OBJECT (self));
  priv = bk_clock_get_instance_private (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  BK_CLOCK_GET_CLASS (self)->rearm (self, priv->deadline);
}
