/* bk-booking-private.h: what the booking files share with each other
 * and not with their users (libical types)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libical/ical.h>

#include "bk-booking.h"

G_BEGIN_DECLS

/* The libical rule of @booking's recurrence (not NONE) without its end:
 * frequency, interval and days. The caller sets COUNT or UNTIL. */
struct icalrecurrencetype bk_booking_rule_shape (const BkBooking *booking);

G_END_DECLS
