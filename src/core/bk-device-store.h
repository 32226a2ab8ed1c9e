/* bk-device-store.h: the list of bridges, kept in devices.json
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-device.h"
#include "bk-secrets.h"

G_BEGIN_DECLS

#define BK_DEVICE_STORE_ERROR (bk_device_store_error_quark ())

typedef enum
{
  BK_DEVICE_STORE_ERROR_CORRUPT,      /* unreadable; moved aside */
  BK_DEVICE_STORE_ERROR_TOO_NEW,      /* written by a newer Bridgekeeper; left untouched */
  BK_DEVICE_STORE_ERROR_IO,           /* reading or writing failed */
  BK_DEVICE_STORE_ERROR_DUPLICATE,    /* the address is already in the list */
  BK_DEVICE_STORE_ERROR_READ_ONLY,    /* not saved: the file on disk could not be read */
} BkDeviceStoreError;

/* The version written (and the newest one read). */
#define BK_DEVICE_STORE_FORMAT_VERSION 1

#define BK_TYPE_DEVICE_STORE (bk_device_store_get_type ())

G_DECLARE_FINAL_TYPE (BkDeviceStore, bk_device_store, BK, DEVICE_STORE, GObject)

/*
 * A GListModel of BkDevice in insertion order (wrap it in a
 * GtkSortListModel to sort by name).  The file is
 * <dir>/devices.json, {"version": 1, "devices": [ {...}, ... ]}, written
 * atomically (temporary file in the same directory, fsync, rename, fsync of
 * the directory) with mode 0600.  It never contains passwords.
 *
 * Saving never blocks the main thread: writes are made on a worker thread,
 * one at a time, and coalesced.  add(), remove() and save() ask for a
 * write in the next main loop iteration; a property change of a listed
 * device asks for one after a short delay (several changes then make one
 * write); changes made while a write is in flight make one more write
 * after it.  flush() writes what is left at once (quit, shutdown; dispose
 * does it too), so nothing is lost.  Failures of writes are kept in the
 * "save-error" property.  Runtime state of the devices (reachability,
 * alternate-reachability, last-checked: bk_device_property_is_runtime())
 * is not saved.  Timers and callbacks run in the main context of the
 * store's creation.
 *
 * Each device is a JSON object whose keys are the BkDevice property names
 * (enums as nicks, flags as lists of nicks, last-checked as ISO 8601 or
 * null, cluster-members as [{"id", "name", "address"}]); unknown keys are
 * ignored, known keys of the wrong type make the file corrupt.
 *
 * Properties: "directory" (construct-only), "load-error" (string: a
 * sentence for the UI, NULL when the last load was fine), "save-error"
 * (string, NULL when the last save was fine), "read-only" (TRUE after a
 * file could not be read, because a newer version wrote it or reading
 * failed: nothing is written then, saves fail with ..._ERROR_READ_ONLY),
 * "secrets" (BkSecrets, optional: remove() clears the device's passwords),
 * "n-items", "saving" (boolean: a write is in flight).
 *
 * Signal "saved": a write ended (well or not: see "save-error").
 */

/* @dir: NULL for g_get_user_data_dir()/bridgekeeper; tests and the demo
 * profile pass their own.  The file is not read until bk_device_store_load(). */
BkDeviceStore *bk_device_store_new                 (const char     *dir);

const char    *bk_device_store_get_directory       (BkDeviceStore  *self);
/* <dir>/devices.json */
const char    *bk_device_store_get_path            (BkDeviceStore  *self);

/* Reads the file.  A missing file is an empty list (TRUE).  A file from a
 * newer version: FALSE, BK_DEVICE_STORE_ERROR_TOO_NEW, the file untouched,
 * the store read-only.  An unreadable file (bad JSON, wrong types): moved
 * aside to devices.json.corrupt-<YYYYmmdd-HHMMSS>, FALSE,
 * BK_DEVICE_STORE_ERROR_CORRUPT; the store starts empty and writable.
 * The error message is also kept in "load-error".  Replaces the list. */
gboolean       bk_device_store_load                (BkDeviceStore  *self,
                                                    GError        **error);
/* Asks for a write of the list as it is now (in the background, see
 * above).  FALSE at once with BK_DEVICE_STORE_ERROR_READ_ONLY when the
 * store is read-only; failures of the write itself go to "save-error". */
gboolean       bk_device_store_save                (BkDeviceStore  *self,
                                                    GError        **error);
/* The same, and @callback once a write holding everything up to this call
 * has ended; finish gives its outcome (READ_ONLY or IO errors). */
void           bk_device_store_save_async          (BkDeviceStore       *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean       bk_device_store_save_finish         (BkDeviceStore  *self,
                                                    GAsyncResult   *result,
                                                    GError        **error);
/* Waits for the write in flight, then writes what it does not hold, on
 * the calling thread: for quit and shutdown.  TRUE when nothing was left
 * to write. */
gboolean       bk_device_store_flush               (BkDeviceStore  *self,
                                                    GError        **error);
/* A write is in flight ("saving"). */
gboolean       bk_device_store_get_saving          (BkDeviceStore  *self);
/* Changes are not on disk yet: a write is scheduled or in flight. */
gboolean       bk_device_store_get_pending         (BkDeviceStore  *self);

const char    *bk_device_store_get_load_error      (BkDeviceStore  *self);
const char    *bk_device_store_get_save_error      (BkDeviceStore  *self);
gboolean       bk_device_store_get_read_only       (BkDeviceStore  *self);
/* Path of the moved-aside file after a corrupt load, else NULL. */
const char    *bk_device_store_get_corrupt_path    (BkDeviceStore  *self);

void           bk_device_store_set_secrets         (BkDeviceStore  *self,
                                                    BkSecrets      *secrets);
BkSecrets     *bk_device_store_get_secrets         (BkDeviceStore  *self);

/* Appends @device and asks for a write (as save()).  The device is added
 * even when the store is read-only (FALSE and that error); a device whose
 * id is already listed is not added (FALSE,
 * BK_DEVICE_STORE_ERROR_DUPLICATE). */
gboolean       bk_device_store_add                 (BkDeviceStore  *self,
                                                    BkDevice       *device,
                                                    GError        **error);
/* Removes @device, asks for a write (as save()), and (when "secrets" is
 * set) clears its passwords in the background. */
gboolean       bk_device_store_remove              (BkDeviceStore  *self,
                                                    BkDevice       *device,
                                                    GError        **error);

guint          bk_device_store_get_n_devices       (BkDeviceStore  *self);
/* transfer none; NULL when unknown. */
BkDevice      *bk_device_store_lookup              (BkDeviceStore  *self,
                                                    const char     *id);
/* The device whose own address is @host:@port (normalised); transfer none.
 * Which listed device manages a cluster (so that a member's address is
 * refused) is bk_cluster_find_managing_device(): the one rule. */
BkDevice      *bk_device_store_find_by_address     (BkDeviceStore  *self,
                                                    const char     *host,
                                                    guint           port);

GQuark         bk_device_store_error_quark         (void);

G_END_DECLS
