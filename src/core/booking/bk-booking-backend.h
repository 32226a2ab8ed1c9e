/* bk-booking-backend.h: where bookings are kept (a file now, CalDAV later)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-booking.h"
#include "bk-booking-ical.h"

G_BEGIN_DECLS

#define BK_TYPE_BOOKING_BACKEND (bk_booking_backend_get_type ())

G_DECLARE_INTERFACE (BkBookingBackend, bk_booking_backend, BK, BOOKING_BACKEND, GObject)

/*
 * The persistence of bookings, one booking at a time, so that a backend
 * which talks to a server (CalDAV: one PUT or DELETE per event) fits as
 * well as one that writes a whole file.  BkBookingStore is the only caller;
 * rules and the UI never see a backend.
 *
 * load: every booking (BkBooking*), or an error whose message is a sentence
 *   for the person (the backend has already kept what it could: a corrupt
 *   file is moved aside, never overwritten).
 * put: the new state of one booking (added or changed); remove: one gone.
 *   Both return at once; the backend writes in the background, coalescing.
 * flush: completes when everything put or removed so far is written (or
 *   failed: the error's message is a sentence).
 *
 * Signal ::save-finished (GError *error, NULL on success): after each
 * background write.
 */
struct _BkBookingBackendInterface
{
  GTypeInterface parent_iface;

  void        (*load_async)   (BkBookingBackend    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  GPtrArray * (*load_finish)  (BkBookingBackend    *self,
                               GAsyncResult        *result,
                               GError             **error);
  void        (*put)          (BkBookingBackend    *self,
                               BkBooking           *booking);
  void        (*remove)       (BkBookingBackend    *self,
                               const char          *uid);
  void        (*flush_async)  (BkBookingBackend    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  gboolean    (*flush_finish) (BkBookingBackend    *self,
                               GAsyncResult        *result,
                               GError             **error);
};

void        bk_booking_backend_load_async   (BkBookingBackend    *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray  *bk_booking_backend_load_finish  (BkBookingBackend    *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void        bk_booking_backend_put          (BkBookingBackend    *self,
                                             BkBooking           *booking);
void        bk_booking_backend_remove       (BkBookingBackend    *self,
                                             const char          *uid);
void        bk_booking_backend_flush_async  (BkBookingBackend    *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    bk_booking_backend_flush_finish (BkBookingBackend    *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* For implementations. */
void        bk_booking_backend_emit_save_finished (BkBookingBackend *self,
                                                   const GError     *error);

G_END_DECLS
