/* bk-fake-clock.c: BkClock moved by tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkFakeClock"

#include "config.h"

#include "bk-fake-clock.h"

struct _BkFakeClock
{
  BkClock    parent_instance;

  GDateTime *now;          /* UTC */
  GDateTime *timer;        /* what the "timer" is armed to, or NULL */
  GSource   *idle;         /* fires a deadline armed in the past */
};

G_DEFINE_FINAL_TYPE (BkFakeClock, bk_fake_clock, BK_TYPE_CLOCK)

static GDateTime *
bk_fake_clock_now (BkClock *clock)
{
  return g_date_time_ref (BK_FAKE_CLOCK (clock)->now);
}

static gboolean
due (BkFakeClock *self)
{
  return self->timer != NULL && g_date_time_compare (self->now, self->timer) >= 0;
}

static gboolean
idle_fire_cb (gpointer user_data)
{
  BkFakeClock *self = user_data;

  g_clear_pointer (&self->idle, g_source_unref);
  if (due (self))
    bk_clock_expired (BK_CLOCK (self));
  return G_SOURCE_REMOVE;
}

static void
cancel_idle (BkFakeClock *self)
{
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
}

static void
bk_fake_clock_rearm (BkClock   *clock,
                     GDateTime *deadline)
{
  BkFakeClock *self = BK_FAKE_CLOCK (clock);

  g_clear_pointer (&self->timer, g_date_time_unref);
  cancel_idle (self);
  if (deadline == NULL)
    return;
  self->timer = g_date_time_ref (deadline);
  if (due (self))
    {
      self->idle = g_idle_source_new ();
      g_source_set_callback (self->idle, idle_fire_cb, self, NULL);
      g_source_set_static_name (self->idle, "[bridgekeeper] fake clock deadline");
      g_source_attach (self->idle, g_main_context_get_thread_default ());
    }
}

static void
bk_fake_clock_finalize (GObject *object)
{
  BkFakeClock *self = BK_FAKE_CLOCK (object);

  cancel_idle (self);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->timer, g_date_time_unref);
  G_OBJECT_CLASS (bk_fake_clock_parent_class)->finalize (object);
}

static void
bk_fake_clock_class_init (BkFakeClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BkClockClass *clock_class = BK_CLOCK_CLASS (klass);

  object_class->finalize = bk_fake_clock_finalize;
  clock_class->now = bk_fake_clock_now;
  clock_class->rearm = bk_fake_clock_rearm;
}

static void
bk_fake_clock_init (BkFakeClock *self)
{
}

BkClock *
bk_fake_clock_new (GDateTime *start)
{
  BkFakeClock *self = g_object_new (BK_TYPE_FAKE_CLOCK, NULL);

  self->now = start != NULL ? g_date_time_to_utc (start) : g_date_time_new_now_utc ();
  return BK_CLOCK (self);
}

static void
move_to (BkFakeClock *self,
         GDateTime   *now)
{
  g_date_time_unref (self->now);
  self->now = g_date_time_to_utc (now);
}

static void
fire_if_due (BkFakeClock *self)
{
  if (due (self))
    {
      cancel_idle (self);
      bk_clock_expired (BK_CLOCK (self));
    }
}

void
bk_fake_clock_advance (BkFakeClock *self,
                       GTimeSpan    span)
{
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(BkFakeClock) hold = NULL;

  g_return_if_fail (BK_IS_FAKE_CLOCK (self));
  g_return_if_fail (span >= 0);

  hold = g_object_ref (self);
  later = g_date_time_add (self->now, span);
  move_to (self, later);
  fire_if_due (self);
}

void
bk_fake_clock_set_now (BkFakeClock *self,
                       GDateTime   *now)
{
  g_autoptr(BkFakeClock) hold = NULL;

  g_return_if_fail (BK_IS_FAKE_CLOCK (self));
  g_return_if_fail (now != NULL);

  hold = g_object_ref (self);
  move_to (self, now);
  /* As a real clock: the timer is cancelled, "changed", re-armed (and it
   * fires if the jump carried the clock past the deadline). */
  bk_clock_changed (BK_CLOCK (self));
  fire_if_due (self);
}

void
bk_fake_clock_step (BkFakeClock *self,
                    GTimeSpan    span)
{
  g_autoptr(GDateTime) then = NULL;

  g_return_if_fail (BK_IS_FAKE_CLOCK (self));

  then = g_date_time_add (self->now, span);
  bk_fake_clock_set_now (self, then);
}

void
bk_fake_clock_suspend (BkFakeClock *self,
                       GTimeSpan    span)
{
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(BkFakeClock) hold = NULL;

  g_return_if_fail (BK_IS_FAKE_CLOCK (self));
  g_return_if_fail (span >= 0);

  hold = g_object_ref (self);
  later = g_date_time_add (self->now, span);
  move_to (self, later);
  fire_if_due (self);
  bk_clock_changed (BK_CLOCK (self));
}
