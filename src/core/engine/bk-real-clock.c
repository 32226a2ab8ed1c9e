/* bk-real-clock.c: BkClock on a CLOCK_REALTIME timerfd, plus logind resume
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkRealClock"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "bk-real-clock.h"

#define LOGIND_NAME      "org.freedesktop.login1"
#define LOGIND_PATH      "/org/freedesktop/login1"
#define LOGIND_INTERFACE "org.freedesktop.login1.Manager"

/* A set of the wall clock that moves it (against the monotonic clock) by
 * less than this in all since the last "changed" only re-arms the timer:
 * some hosts step the clock by a fraction of a millisecond several times a
 * second, and nothing planned in minutes needs re-planning for that. A
 * suspend moves it by the time asleep. */
#define STEP_THRESHOLD_US G_USEC_PER_SEC

/* With no deadline the timer is armed this far ahead, so that clock jumps
 * still cancel it (and are noticed). */
#define IDLE_HORIZON_S   (G_GINT64_CONSTANT (50) * 365 * 24 * 3600)

struct _BkRealClock
{
  BkClock          parent_instance;

  int              fd;
  GSource         *fd_source;
  gboolean         watch_sleep;
  gint64           offset_us;     /* real - monotonic at the last "changed" */
  GCancellable    *cancellable;
  GDBusConnection *system_bus;
  guint            sleep_subscription;
};

G_DEFINE_FINAL_TYPE (BkRealClock, bk_real_clock, BK_TYPE_CLOCK)

static GDateTime *
bk_real_clock_now (BkClock *clock)
{
  return g_date_time_new_now_utc ();
}

static void
set_timer (BkRealClock *self,
           gint64       unix_usec)
{
  struct itimerspec spec = { 0 };

  spec.it_value.tv_sec = unix_usec / G_USEC_PER_SEC;
  spec.it_value.tv_nsec = (unix_usec % G_USEC_PER_SEC) * 1000;
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0)
    spec.it_value.tv_nsec = 1;   /* zero would disarm */
  if (timerfd_settime (self->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) != 0)
    g_warning ("Could not arm the wall-clock timer: %s", g_strerror (errno));
}

static void
bk_real_clock_rearm (BkClock   *clock,
                     GDateTime *deadline)
{
  BkRealClock *self = BK_REAL_CLOCK (clock);

  if (deadline != NULL)
    set_timer (self, g_date_time_to_unix (deadline) * G_USEC_PER_SEC +
                     g_date_time_get_microsecond (deadline));
  else
    set_timer (self, g_get_real_time () + IDLE_HORIZON_S * G_USEC_PER_SEC);
}

static gboolean
timer_ready_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  BkRealClock *self = user_data;
  guint64 expirations = 0;
  ssize_t n;

  n = read (fd, &expirations, sizeof expirations);
  if (n == sizeof expirations)
    bk_clock_expired (BK_CLOCK (self));
  else if (n < 0 && errno == ECANCELED)
    {
      gint64 offset = g_get_real_time () - g_get_monotonic_time ();

      if (ABS (offset - self->offset_us) >= STEP_THRESHOLD_US)
        {
          g_debug ("The wall clock was set (%+.3f s): re-planning", (offset - self->offset_us) / 1e6);
          self->offset_us = offset;
          bk_clock_changed (BK_CLOCK (self));
        }
      else
        bk_real_clock_rearm (BK_CLOCK (self), bk_clock_get_deadline (BK_CLOCK (self)));
    }
  else if (n < 0 && errno != EAGAIN && errno != EINTR)
    g_warning ("Could not read the wall-clock timer: %s", g_strerror (errno));
  return G_SOURCE_CONTINUE;
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  BkRealClock *self = user_data;
  gboolean going_to_sleep = TRUE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    {
      g_debug ("Resumed from suspend: re-planning");
      bk_clock_changed (BK_CLOCK (self));
    }
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BkRealClock) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;

  bus = g_bus_get_finish (result, &error);
  if (bus != NULL && g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, so resume from suspend is noticed only by the timer: %s",
                 error->message);
      return;
    }
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, LOGIND_NAME, LOGIND_INTERFACE, "PrepareForSleep",
                                        LOGIND_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb, self, NULL);
}

static void
bk_real_clock_dispose (GObject *object)
{
  BkRealClock *self = BK_REAL_CLOCK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sleep_subscription != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
    }
  g_clear_object (&self->system_bus);
  if (self->fd_source != NULL)
    {
      g_source_destroy (self->fd_source);
      g_clear_pointer (&self->fd_source, g_source_unref);
    }
  G_OBJECT_CLASS (bk_real_clock_parent_class)->dispose (object);
}

static void
bk_real_clock_finalize (GObject *object)
{
  BkRealClock *self = BK_REAL_CLOCK (object);

  if (self->fd >= 0)
    close (self->fd);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (bk_real_clock_parent_class)->finalize (object);
}

static void
bk_real_clock_class_init (BkRealClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BkClockClass *clock_class = BK_CLOCK_CLASS (klass);

  object_class->dispose = bk_real_clock_dispose;
  object_class->finalize = bk_real_clock_finalize;
  clock_class->now = bk_real_clock_now;
  clock_class->rearm = bk_real_clock_rearm;
}

static void
bk_real_clock_init (BkRealClock *self)
{
  self->fd = -1;
  self->cancellable = g_cancellable_new ();
}

BkClock *
bk_real_clock_new (gboolean   watch_sleep,
                   GError   **error)
{
  g_autoptr(BkRealClock) self = g_object_new (BK_TYPE_REAL_CLOCK, NULL);
  int saved;

  self->fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (self->fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "timerfd_create: %s", g_strerror (saved));
      return NULL;
    }
  self->fd_source = g_unix_fd_source_new (self->fd, G_IO_IN);
  g_source_set_callback (self->fd_source, G_SOURCE_FUNC (timer_ready_cb), self, NULL);
  g_source_set_static_name (self->fd_source, "[bridgekeeper] wall-clock timer");
  g_source_attach (self->fd_source, g_main_context_get_thread_default ());
  self->offset_us = g_get_real_time () - g_get_monotonic_time ();
  bk_real_clock_rearm (BK_CLOCK (self), NULL);

  self->watch_sleep = watch_sleep;
  if (watch_sleep)
    g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, g_object_ref (self));

  return BK_CLOCK (g_steal_pointer (&self));
}

gboolean
bk_real_clock_is_watching_sleep (BkRealClock *self)
{
  g_return_val_if_fail (BK_IS_REAL_CLOCK (self), FALSE);

  return self->sleep_subscription != 0;
}
