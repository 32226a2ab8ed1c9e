/* bk-engine.h: the conference engine: runs every booked meeting on time
 *
 * The application owns one BkEngine (it works with no window open). It
 * reads the occurrences of the next 24 hours from a BkBookingStore and
 * keeps one wall-clock deadline (bk_clock_arm) for the next due action of
 * all of them, planned again when the store changes, when the clock says
 * "changed" (a jump, a resume) and after every action.
 *
 * Each occurrence that uses a bridge has a state machine:
 *
 *   scheduled -> checking (15 min before start: the bridge answers, the
 *                bound slot space exists and is idle; otherwise "problem"
 *                is emitted now, with a sentence, while there is time)
 *             -> starting (at start minus the store's early join: BkMeeting
 *                start with the title, the PIN from the keyring, and the
 *                dial-out participants for Automatic Connect only, their
 *                dial held: PUT the space and POST /calls, 2 requests; the
 *                space is ready, dial-in participants can join)
 *             -> running  (legs polled every poll-interval; at the start
 *                itself, on the same one deadline, one callLeg per dial-out
 *                participant, in parallel: k requests. TMS "does not dial
 *                out before the scheduled start". A meeting activated when
 *                its start has already passed, a late start, dials with
 *                its activation.)
 *             -> ending   (at the end, extensions included: BkMeeting end)
 *             -> ended, or failed (one failure path each: the sentence is
 *                bk_engine_get_error()).
 * No Connect bookings use no bridge and get no state machine. A start
 * waits while another meeting of ours is still on its slot (back-to-back
 * bookings: that one's end and this one's early join are one instant), so
 * the slot is reset before it is activated again.
 *
 * Restart safety: a journal (JSON, beside the bookings, written atomically
 * off the main thread) records every meeting the engine starts before its
 * first request is sent, and its outcome, and ("dialled") whether its
 * participants may have been called, written before the first leg is
 * sent: a restart between the activation and the start dials once, at
 * the start; one after the dial adopts the legs and calls only who has
 * none. A new engine on the same journal
 * adopts a meeting that should still run (BkMeeting start with VERIFY:
 * the call on the slot is found, nothing is started twice), ends one whose
 * end passed while it was away, and never restarts one it ended or that
 * failed. A late start without a journal entry is verified too. The
 * journal keeps who the running meeting dials ("participants": the
 * booking's dial-out participants as at its start, those added live, the
 * dropped ones marked "dropped"): an adoption, a Retry and a move call the
 * same people, whatever the booking says by then (or when its occurrence
 * has left the window: a meeting extended past it). An adoption is not a
 * new start (bk_engine_get_adopted).
 *
 * Signals:
 *   "state-changed" (const char *occurrence_id, BkEngineState state)
 *   "problem"       (const char *occurrence_id, const char *sentence):
 *                   the check found something wrong (a ticket-like event)
 *   "participant-unanswered" (const char *occurrence_id, guint index,
 *                   const char *uri): a participant of a running meeting
 *                   did not answer any of the dial attempts (TMS: 3); a
 *                   ticket with Redial (app.redial-participant, target
 *                   (occurrence id, index)) is in bk_engine_get_tickets()
 *                   and the bridge's Tickets until the participant is
 *                   redialled or connects, or the meeting is over.
 *   "unknown-call"  (const char *bridge_id, const char *call_id, const
 *                   char *sentence): at launch, or after a resume or a
 *                   clock change (the clock's "changed"), a call was found
 *                   on one of a bridge's slot spaces, on any node of its
 *                   failover chain (GET /calls on each: calls are
 *                   node-local), while no meeting of ours holds that slot
 *                   (the journal was lost, say): a ticket with End
 *                   (app.end-unknown-call, target (bridge id, call id)),
 *                   ended on the node where it was found; it is never
 *                   ended without being asked. Reported once: a later look
 *                   does not ask about it again, and its ticket goes when
 *                   the call is no longer there.
 *   "ending-soon"   (const char *occurrence_id, guint minutes_left): a
 *                   running meeting's end is near: at end - 5 min and end -
 *                   1 min (TMS's defaults), on the one deadline, also shown
 *                   to the participants as a message on the call (PUT
 *                   /calls/<id> messageText; a bridge that refuses it, before
 *                   CMS 2.1, is not asked again); journalled, so a restart
 *                   does not repeat it; after an
 *                   extension past a warning's time, again before the new
 *                   end. A meeting that starts after a warning's time gets
 *                   one warning at once with the minutes actually left.
 *   "end-changed"   (const char *occurrence_id): a running meeting's end
 *                   moved (Extend, End Now, its booking's end edited, an
 *                   automatic extension).
 *   "auto-extended" (const char *occurrence_id, guint count): a meeting
 *                   booked with BK_EXTEND_AUTOMATIC (TMS's "Automatic Best
 *                   Effort") reached its end while at least one participant
 *                   was still connected (the watch's last poll if recent,
 *                   else one poll then: 1 + r requests), it had been
 *                   extended automatically fewer than 16 times, and
 *                   bk_engine_extend's rules allowed 15 more minutes: its
 *                   end moved by 15 minutes instead of ending (no request;
 *                   "end-changed" too; @count journalled, so a restart keeps
 *                   it). The end warnings come again before the new end.
 *                   Otherwise it ends as any meeting, and the reason is
 *                   bk_engine_get_not_extended(). End Now is never undone by
 *                   an automatic extension.
 *   "failed-over"   (const char *occurrence_id, const char *node_label):
 *                   the meeting runs on another node of the cluster than
 *                   the one it was meant for: at the start (the nodes
 *                   before it did not answer or refused us) or during the
 *                   meeting (its node was lost: its call was made again
 *                   on that node and its participants called again).
 *
 * Failover: every start, check and end goes along the bridge's failover
 * chain (bk_bridge_dup_failover_chain: primary, alternate, the other
 * members whose certificate is trusted). A node that does not answer at
 * all (connection refused or reset, timeout), or refuses us (certificate,
 * API user), is passed over for the next one; an HTTP answer is an answer
 * and ends there. The slot's space is shared by the cluster, calls are
 * node-local: the journal names the node ("node") before anything is sent
 * to it, so a restart looks for the call there first (then along the
 * chain, verifying each node). The check 15 minutes before says when the
 * meeting would start on another node than the primary. While a meeting
 * runs, BK_MEETING_LOST_AFTER_POLLS polls in a row without an answer
 * ("node-lost") move it: POST /calls on the next living node (the space
 * is still activated: no PUT; a call left there is adopted: one GET
 * first) and one callLeg per participant still to be reached, 2 + k
 * requests (lost before the start: only the call, the participants are
 * called there at the start); the end then runs on that node. An end whose node does not
 * answer at all (lost, and not noticed yet) goes along the chain too: on
 * the first node that answers, a call of the meeting there is deleted
 * (GET /calls?coSpaceFilter, DELETE) and the shared slot reset; the call
 * on the silent node is journalled ("left-on") and asked to end there
 * every minute (for a day) until that node answers; the meeting is ENDED
 * with a problem sentence naming that node. Only when no node answers does
 * the end fail (Retry).
 *
 * Property "n-pending" (guint, read-only, notified on change): how many
 * occurrences of the next 24 hours (or running) are not over yet (neither
 * ended nor failed). The application stays in the background while it is
 * above zero.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-booking-store.h"
#include "bk-bridge-manager.h"
#include "bk-clock.h"
#include "bk-meeting.h"
#include "bk-secrets.h"

G_BEGIN_DECLS

#define BK_ENGINE_ERROR (bk_engine_error_quark ())

typedef enum
{
  BK_ENGINE_ERROR_UNKNOWN,      /* no such occurrence in the engine */
  BK_ENGINE_ERROR_NOT_RUNNING,
  BK_ENGINE_ERROR_SLOT_BOOKED,  /* extend: the slot is booked next */
  BK_ENGINE_ERROR_PARTICIPANT_BOOKED,
  BK_ENGINE_ERROR_NOT_FAILED,   /* retry: it did not fail */
  BK_ENGINE_ERROR_OVER,         /* retry: its end has passed */
} BkEngineError;

typedef enum
{
  BK_ENGINE_STATE_SCHEDULED,
  BK_ENGINE_STATE_CHECKING,
  BK_ENGINE_STATE_STARTING,
  BK_ENGINE_STATE_RUNNING,
  BK_ENGINE_STATE_ENDING,
  BK_ENGINE_STATE_ENDED,
  BK_ENGINE_STATE_FAILED,
} BkEngineState;

/* The check runs this long before the start (TMS's "registration"). */
#define BK_ENGINE_CHECK_BEFORE (15 * 60)
/* How far ahead occurrences are planned. */
#define BK_ENGINE_WINDOW (24 * 60 * 60)
/* A start later than this after its due time verifies first. */
#define BK_ENGINE_LATE_GRACE 60
#define BK_ENGINE_DEFAULT_POLL_INTERVAL_MS 5000

#define BK_TYPE_ENGINE (bk_engine_get_type ())
G_DECLARE_FINAL_TYPE (BkEngine, bk_engine, BK, ENGINE, GObject)

GQuark         bk_engine_error_quark       (void);
const char    *bk_engine_state_to_string   (BkEngineState state);

/* "<uid>@<recurrence id in UTC seconds>" (free with g_free). */
char          *bk_engine_occurrence_id     (const char     *uid,
                                            gint64          recurrence_id);
/* The parts of an occurrence id: its booking's uid (new string; the id
 * itself when it has no "@"), and its recurrence id (0 when none). */
char          *bk_engine_occurrence_uid    (const char     *occurrence_id);
gint64         bk_engine_occurrence_recurrence_id (const char *occurrence_id);

/* @journal_path: NULL for "engine-journal.json" in the directory of the
 * store's file backend (or the user data directory). The journal is read
 * here (a small file); a corrupt one is moved aside with a warning. */
BkEngine      *bk_engine_new               (BkBookingStore  *store,
                                            BkClock         *clock,
                                            const char      *journal_path);
const char    *bk_engine_get_journal_path  (BkEngine        *self);

/* Where clients come from: a client set for a bridge id wins (the
 * simulator, tests); otherwise the manager's bridge, once ready. */
void           bk_engine_set_bridge_manager (BkEngine       *self,
                                             BkBridgeManager *manager);
void           bk_engine_set_client        (BkEngine        *self,
                                            const char      *bridge_id,
                                            BkCmsClient     *client);
/* For the PINs (BK_SECRET_KIND_BOOKING_PIN); without it, no passcode. */
void           bk_engine_set_secrets       (BkEngine        *self,
                                            BkSecrets       *secrets);
/* 0: no polling. */
void           bk_engine_set_poll_interval (BkEngine        *self,
                                            guint            ms);

/* Begins planning (call once the store has loaded). */
void           bk_engine_run               (BkEngine        *self);

/* The "n-pending" property. */
guint          bk_engine_get_n_pending     (BkEngine        *self);
/* The occurrences the engine knows (new array of new strings). */
GStrv          bk_engine_dup_occurrence_ids (BkEngine       *self);
/* SCHEDULED for an unknown occurrence. */
BkEngineState  bk_engine_get_state         (BkEngine        *self,
                                            const char      *occurrence_id);
/* The failure sentence (FAILED) or NULL. */
const char    *bk_engine_get_error         (BkEngine        *self,
                                            const char      *occurrence_id);
/* TRUE when it FAILED while ending (its call may still run): Retry ends
 * it then, rather than starting it. */
gboolean       bk_engine_get_failed_at_end (BkEngine        *self,
                                            const char      *occurrence_id);
/* The last check's problem sentence or NULL. */
const char    *bk_engine_get_problem       (BkEngine        *self,
                                            const char      *occurrence_id);
/* The meeting while it runs (transfer none) or NULL. */
BkMeeting     *bk_engine_get_meeting       (BkEngine        *self,
                                            const char      *occurrence_id);
/* The node the meeting runs on (or last ran on, or is being started on):
 * its failover chain label, e.g. "CallBridge-Core2 (10.0.0.2:443)"; NULL
 * when not known yet. */
const char    *bk_engine_get_node_label    (BkEngine        *self,
                                            const char      *occurrence_id);
/* The end in UTC seconds, extensions included; 0 when unknown. */
gint64         bk_engine_get_end           (BkEngine        *self,
                                            const char      *occurrence_id);

/* Moves a running meeting's end by @minutes. Refused (FALSE, with the
 * sentence) when its slot or one of its participants is booked in the
 * added time. No request: CMS calls have no scheduled end. */
gboolean       bk_engine_extend            (BkEngine        *self,
                                            const char      *occurrence_id,
                                            guint            minutes,
                                            GError         **error);

/* How many times the meeting was extended automatically (0..16). */
guint          bk_engine_get_auto_extensions (BkEngine      *self,
                                              const char    *occurrence_id);
/* Why a meeting booked with automatic extension was not extended at its
 * end (a sentence: nobody was connected, the most extensions were made,
 * its slot or a participant is booked next, the bridge did not say who is
 * there), or NULL. */
const char    *bk_engine_get_not_extended  (BkEngine        *self,
                                            const char      *occurrence_id);

/* Starts a FAILED meeting again, if its end has not passed, as a start
 * with VERIFY (a call the failed attempt left on the slot is adopted,
 * nothing is started twice). Refused (FALSE, with the sentence) when it
 * did not fail, is over, or another meeting holds its slot. A meeting that
 * failed while ending (bk_engine_get_failed_at_end) is ended again instead
 * (what is left of the end: the call deleted, the slot reset). */
gboolean       bk_engine_retry             (BkEngine        *self,
                                            const char      *occurrence_id,
                                            GError         **error);

/* End Now: a running meeting's end becomes now; the engine ends it as at
 * any end (DELETE the call, reset the slot: 2 requests), journalled, and
 * the state goes ENDING, then ENDED (or FAILED with the sentence). Refused
 * (FALSE, with the sentence) when it is not running. */
gboolean       bk_engine_end_now           (BkEngine        *self,
                                            const char      *occurrence_id,
                                            GError         **error);

/* Add Participant: dials @address (a SIP URI or a number, checked with
 * bk_participant_validate_address()) into the running meeting now (one
 * POST /calls/<call>/callLegs, after the poll's listing), redialled like
 * the booked participants; also during the early join (activated, before
 * the start: the call exists), while the booked participants still wait
 * for the start. Journalled, so a restart before the start adopts their
 * leg and the start does not call them again. Not added to the booking. Refused (FALSE, with
 * the sentence) for a bad address or a meeting that does not run. */
gboolean       bk_engine_add_participant   (BkEngine        *self,
                                            const char      *occurrence_id,
                                            const char      *address,
                                            GError         **error);

/* TRUE when the meeting is one that an earlier run of the application had
 * running (the journal says so): its STARTING and RUNNING now are its
 * adoption (its call found again), not a new start, so nobody is told
 * that it started. FALSE for a new start, and after Retry. */
gboolean       bk_engine_get_adopted       (BkEngine        *self,
                                            const char      *occurrence_id);

/* The engine's clock (for "now" in the UI). transfer none. */
BkClock       *bk_engine_get_clock         (BkEngine        *self);
/* When the meeting was first seen running (UTC seconds), 0 when not yet. */
gint64         bk_engine_get_running_since (BkEngine        *self,
                                            const char      *occurrence_id);

/* Completes when every journal change so far is on disk. */
void           bk_engine_flush_async       (BkEngine        *self,
                                            GCancellable    *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer         user_data);
gboolean       bk_engine_flush_finish      (BkEngine        *self,
                                            GAsyncResult    *result,
                                            GError         **error);

/* The engine's tickets (GListModel of BkTicket): participants who never
 * answered, calls without a booking. Each is also in its bridge's Tickets
 * (bk_bridge_add_ticket) when the bridge manager lists the bridge. */
GListModel    *bk_engine_get_tickets       (BkEngine        *self);

/* The End action of an "unknown-call" ticket: the call is deleted and its
 * slot reset (as a meeting's end: 2 requests after finding it); the ticket
 * goes. */
void           bk_engine_end_unknown_call_async  (BkEngine            *self,
                                                  const char          *bridge_id,
                                                  const char          *call_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       bk_engine_end_unknown_call_finish (BkEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
