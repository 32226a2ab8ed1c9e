/* bk-booking-file.h: bookings kept in one iCalendar file (bookings.ics)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking-backend.h"

G_BEGIN_DECLS

#define BK_TYPE_BOOKING_FILE (bk_booking_file_get_type ())

G_DECLARE_FINAL_TYPE (BkBookingFile, bk_booking_file, BK, BOOKING_FILE, GObject)

/*
 * A BkBookingBackend on <dir>/bookings.ics (see bk-booking-ical.h for its
 * contents), mode 0600.  Every write is g_file_set_contents_full() with
 * CONSISTENT | DURABLE (temporary file, fsync, rename, fsync of the folder)
 * in a worker thread; puts and removes made while a write runs (or in the
 * same main-loop iteration) are coalesced into one next write.
 *
 * Loading: a missing file is no bookings.  A corrupt file is moved aside to
 * bookings.ics.corrupt-<YYYYmmdd-HHMMSS> and the load fails with
 * BK_BOOKING_STORE_ERROR_CORRUPT (the backend then starts empty and
 * writable).  A file of a newer format or one that cannot be read leaves
 * the backend read-only: writes fail with ..._READ_ONLY and the file is
 * never touched.  Temporary files left by a write that was killed are
 * removed.  Errors' messages are sentences for the UI.
 *
 * Properties: "directory" (construct-only), "read-only".
 */

/* @dir: NULL for g_get_user_data_dir()/bridgekeeper. */
BkBookingFile *bk_booking_file_new               (const char    *dir);
const char    *bk_booking_file_get_path          (BkBookingFile *self);
gboolean       bk_booking_file_get_read_only     (BkBookingFile *self);
/* The moved-aside file after a corrupt load, else NULL. */
const char    *bk_booking_file_get_corrupt_path  (BkBookingFile *self);
/* Number of files written so far (for tests of coalescing). */
guint          bk_booking_file_get_n_writes      (BkBookingFile *self);

G_END_DECLS
