/* bk-booking-backend.c: where bookings are kept
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingBackend"

#include "config.h"

#include "bk-booking-backend.h"

G_DEFINE_INTERFACE (BkBookingBackend, bk_booking_backend, G_TYPE_OBJECT)

enum
{
  SAVE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
bk_booking_backend_default_init (BkBookingBackendInterface *iface)
{
  signals[SAVE_FINISHED] =
    g_signal_new ("save-finished", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

void
bk_booking_backend_load_async (BkBookingBackend    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BK_IS_BOOKING_BACKEND (self));
  BK_BOOKING_BACKEND_GET_IFACE (self)->load_async (self, cancellable, callback, user_data);
}

GPtrArray *
bk_booking_backend_load_finish (BkBookingBackend  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (BK_IS_BOOKING_BACKEND (self), NULL);
  return BK_BOOKING_BACKEND_GET_IFACE (self)->load_finish (self, result, error);
}

void
bk_booking_backend_put (BkBookingBackend *self,
                        BkBooking        *booking)
{
  g_return_if_fail (BK_IS_BOOKING_BACKEND (self));
  g_return_if_fail (booking != NULL);
  BK_BOOKING_BACKEND_GET_IFACE (self)->put (self, booking);
}

void
bk_booking_backend_remove (BkBookingBackend *self,
                           const char       *uid)
{
  g_return_if_fail (BK_IS_BOOKING_BACKEND (self));
  g_return_if_fail (uid != NULL);
  BK_BOOKING_BACKEND_GET_IFACE (self)->remove (self, uid);
}

void
bk_booking_backend_flush_async (BkBookingBackend    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BK_IS_BOOKING_BACKEND (self));
  BK_BOOKING_BACKEND_GET_IFACE (self)->flush_async (self, cancellable, callback, user_data);
}

gboolean
bk_booking_backend_flush_finish (BkBookingBackend  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (BK_IS_BOOKING_BACKEND (self), FALSE);
  return BK_BOOKING_BACKEND_GET_IFACE (self)->flush_finish (self, result, error);
}

void
bk_booking_backend_emit_save_finished (BkBookingBackend *self,
                                       const GError     *error)
{
  g_signal_emit (self, signals[SAVE_FINISHED], 0, error);
}
