/* bk-meeting.h: one booked meeting run on a bridge's slot space
 *
 * The operations the conference engine runs for one meeting, as async
 * operations on a BkCmsClient (one node). GTK-free; plain parameters (title,
 * passcode, participants, slot number), so the scheduler can drive it.
 *
 * Start (2 + k requests when the slot's space id is known and no earlier
 * attempt can have reached the bridge; no authentication challenge, the
 * client sends its credentials pre-emptively):
 *   PUT  /coSpaces/<slot>  name=<title>&passcode=<pin>&nonMemberAccess=true&regenerateSecret=true
 *   POST /calls            coSpace=<slot>
 *   POST /calls/<call>/callLegs remoteParty=<uri>   one per participant, all in parallel
 * (TMS: 10 + k, one of them a 401.) Without the space id, one filtered
 * GET /coSpaces finds it first. With BK_MEETING_START_VERIFY (after a
 * restart, a crash, or a failure whose outcome is unknown) it first lists
 * GET /calls?coSpaceFilter=<slot>: a call already there is adopted (its legs
 * are listed and matched by remote party; only the missing participants are
 * dialled), never duplicated. Starting a meeting that this object already
 * started does nothing.
 *
 * A POST whose outcome is unknown (reset, timeout, server error) is never
 * repeated blindly: the listing (calls on the slot, or the call's legs)
 * tells whether it happened, and only then is it sent once more.
 *
 * Dial at the start (TMS allocates the conference at the early join and
 * "does not dial out before the scheduled start"): with
 * bk_meeting_set_dial_held (TRUE) before the start, start is only the PUT
 * and the POST /calls (2 requests: the space is ready, dial-in
 * participants can join) and polls dial nobody; bk_meeting_dial_async()
 * at the start releases the hold and POSTs one callLeg per participant
 * still to be reached, all in parallel (k requests, no listing: the caller
 * knows none was sent). A meeting moved to another node keeps the hold.
 * Add Participant and Redial during the hold are not held: the call
 * exists, so they are called at once (and, having a leg, not again at
 * the start).
 *
 * Start succeeds once the call runs. A participant whose dial-out failed
 * keeps the sentence (bk_meeting_get_participant_error) and is redialled by
 * the next poll. When start fails, what it had done is undone (the call is
 * deleted, the slot space reset) and the error says so, or says precisely
 * what is left on the bridge when undoing failed too.
 *
 * Extend: purely app-side. CMS has no scheduled end on a call or a space
 * (the call lasts until it is deleted); TMS's extension PUT only re-marks
 * the space. The engine just moves its end deadline: no request.
 *
 * End (2 requests; TMS: 6): DELETE /calls/<call> (a call already gone
 * counts as ended), then PUT /coSpaces/<slot> name=TMS_Scheduled_Meeting_<n>&
 * passcode=&nonMemberAccess=false&regenerateSecret=true. Retrying after a
 * failure does only what is left.
 *
 * Poll: one round of participant states: GET /calls/<call>/callLegs (who
 * is still there) and GET /callLegs/<id> for every leg not yet known to be
 * connected, ours and other people's (dial-in participants: the listing is
 * a summary without the state, which only the leg's details give)
 * (1 + r requests). A leg that disappears before connecting, rings longer
 * than ring-timeout, or could not be dialled is redialled until
 * max-dial-attempts dials were made (TMS: 3), then the participant is
 * UNANSWERED. A connected participant whose leg disappears is GONE (they
 * left: not redialled automatically). bk_meeting_watch() polls periodically.
 *
 * One operation at a time: another one started meanwhile fails with
 * G_IO_ERROR_PENDING.
 *
 * Live changes (the meeting panel): add a participant, drop one, redial
 * one, refresh now. Signal "participant-changed" (guint index) for every
 * change of a participant; property "n-participants" when one is added.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms.h"

G_BEGIN_DECLS

#define BK_MEETING_ERROR (bk_meeting_error_quark ())

typedef enum
{
  BK_MEETING_ERROR_FAILED,       /* nothing is left on the bridge (or it was undone) */
  BK_MEETING_ERROR_LEFT_BEHIND,  /* something is left (or may be): the message says what */
  BK_MEETING_ERROR_NO_SLOT,      /* the slot's space is not on the bridge */
  BK_MEETING_ERROR_NOT_RUNNING,  /* poll: the meeting has no call */
} BkMeetingError;

typedef enum
{
  BK_PARTICIPANT_INITIAL,     /* not dialled yet, or dialled and not ringing yet */
  BK_PARTICIPANT_RINGING,
  BK_PARTICIPANT_CONNECTED,
  BK_PARTICIPANT_GONE,        /* left after connecting, or the meeting ended */
  BK_PARTICIPANT_UNANSWERED,  /* every dial attempt failed */
} BkParticipantState;

typedef enum
{
  BK_MEETING_START_NONE   = 0,
  /* An earlier attempt may have reached the bridge: look for its call. */
  BK_MEETING_START_VERIFY = 1 << 0,
  /* The slot's space is activated already (a meeting moved to another
   * node of the cluster: the space is shared): no PUT, only the call. */
  BK_MEETING_START_ACTIVATED = 1 << 1,
} BkMeetingStartFlags;

/* Polls in a row that got no answer at all before "node-lost". */
#define BK_MEETING_LOST_AFTER_POLLS 2
/* A watch's poll round that has no answer after this long gives up and
 * counts as no answer (a node that hangs instead of refusing): with the
 * engine's 5 s interval, a lost node is noticed within 2 x (5 + 8) s. */
#define BK_MEETING_DEFAULT_POLL_DEADLINE_MS 8000

#define BK_MEETING_DEFAULT_MAX_DIAL_ATTEMPTS 3
#define BK_MEETING_DEFAULT_RING_TIMEOUT_MS   60000

#define BK_TYPE_MEETING (bk_meeting_get_type ())
G_DECLARE_FINAL_TYPE (BkMeeting, bk_meeting, BK, MEETING, GObject)

GQuark              bk_meeting_error_quark            (void);
const char         *bk_participant_state_to_string    (BkParticipantState state);

/* @space_id: the slot's coSpace id, or NULL to look it up by call ID
 * (= @slot); @passcode may be NULL (none); @participants: remote parties to
 * dial at start (Automatic Connect), or NULL. */
BkMeeting          *bk_meeting_new                    (BkCmsClient        *client,
                                                       guint64             slot,
                                                       const char         *space_id,
                                                       const char         *title,
                                                       const char         *passcode,
                                                       const char * const *participants);

/* The same meeting on another node of the cluster (failover): slot, space,
 * title, passcode and settings of @from; its participants who are still to
 * be reached (not GONE, not UNANSWERED) are to be called again with fresh
 * attempts; the others keep their state. Start it with
 * BK_MEETING_START_ACTIVATED (and VERIFY when an earlier attempt may have
 * reached @client's node). */
BkMeeting          *bk_meeting_new_moved              (BkMeeting          *from,
                                                       BkCmsClient        *client);

/* TRUE when @error (a BK_CMS_ERROR, e.g. bk_meeting_get_start_cause) says
 * the node did not answer at all: connection refused or reset, timeout, a POST whose
 * outcome is unknown; never for an HTTP reply, which is an answer. */
gboolean            bk_meeting_error_is_no_answer     (const GError       *error);
/* TRUE when @error says the node refused us: its certificate is not the
 * trusted one (see bk_meeting_error_is_untrusted), or it refused the API
 * user (401/403). */
gboolean            bk_meeting_error_is_refused       (const GError       *error);
/* TRUE when @error says the node's certificate is not trusted (no
 * credential was sent to it). */
gboolean            bk_meeting_error_is_untrusted     (const GError       *error);

/* The request error that made the last start fail (a BK_CMS_ERROR, or
 * G_IO_ERROR_CANCELLED), or NULL: whether the node answered at all, refused
 * us, or answered with a failure (see bk_meeting_error_is_no_answer). */
const GError       *bk_meeting_get_start_cause        (BkMeeting *self);

/* The request error that made the last end fail (a BK_CMS_ERROR, or
 * G_IO_ERROR_CANCELLED), or NULL: whether the node answered at all. */
const GError       *bk_meeting_get_end_cause          (BkMeeting *self);

/* Before the start of a meeting adopted after a restart: the participant
 * at @index had been dropped, or had left: GONE, and not called (as after
 * a drop) until bk_meeting_redial(). Nothing for one that has a leg. */
void                bk_meeting_set_participant_gone   (BkMeeting *self,
                                                       guint      index);

BkCmsClient        *bk_meeting_get_client             (BkMeeting *self);
guint64             bk_meeting_get_slot               (BkMeeting *self);
const char         *bk_meeting_get_title              (BkMeeting *self);
/* NULL until known. */
const char         *bk_meeting_get_space_id           (BkMeeting *self);
/* The running call's id, NULL when there is none. */
const char         *bk_meeting_get_call_id            (BkMeeting *self);
gboolean            bk_meeting_is_running             (BkMeeting *self);

void                bk_meeting_set_max_dial_attempts  (BkMeeting *self,
                                                       guint      attempts);
/* The watch's poll deadline (0: none, only the client's own timeouts). */
void                bk_meeting_set_poll_deadline      (BkMeeting *self,
                                                       guint      ms);
void                bk_meeting_set_ring_timeout       (BkMeeting *self,
                                                       guint      ms);

guint               bk_meeting_get_n_participants     (BkMeeting *self);
const char         *bk_meeting_get_participant_uri    (BkMeeting *self,
                                                       guint      index);
BkParticipantState  bk_meeting_get_participant_state  (BkMeeting *self,
                                                       guint      index);
/* Dial attempts made so far. */
guint               bk_meeting_get_participant_attempts (BkMeeting *self,
                                                       guint      index);
/* The current call leg id, or NULL. */
const char         *bk_meeting_get_participant_leg_id (BkMeeting *self,
                                                       guint      index);
/* The last failure (a sentence), or NULL. */
const GError       *bk_meeting_get_participant_error  (BkMeeting *self,
                                                       guint      index);

/* Who is in the call, as the last poll round saw it: the participants
 * CONNECTED, plus every other leg on the call (people who dialled in)
 * whose details said connected (or on hold); a leg still ringing or being
 * set up is nobody yet. 0 when the call does not run. */
guint               bk_meeting_get_n_connected        (BkMeeting *self);
/* When the last poll round completed (g_get_monotonic_time()), 0: never. */
gint64              bk_meeting_get_polled_at          (BkMeeting *self);

void                bk_meeting_start_async            (BkMeeting           *self,
                                                       BkMeetingStartFlags  flags,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            bk_meeting_start_finish           (BkMeeting           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* While held, nobody is dialled: not by start, nor by polls (the watch's,
 * bk_meeting_refresh). Set before the start. */
void                bk_meeting_set_dial_held          (BkMeeting           *self,
                                                       gboolean             held);
gboolean            bk_meeting_get_dial_held          (BkMeeting           *self);
/* TRUE while the participant at @index waits for the start: the dial is
 * held and they were not added or redialled by hand before it (Add
 * Participant and Redial during the early join call them at once: the
 * call exists; see bk_meeting_add_participant, bk_meeting_redial). */
gboolean            bk_meeting_get_participant_held   (BkMeeting           *self,
                                                       guint                index);
/* Whether the participant at @index was added or redialled by hand before
 * the start; set it on a meeting made again for the same one (a restart:
 * the engine's journal), so they are not held either. */
gboolean            bk_meeting_get_participant_early  (BkMeeting           *self,
                                                       guint                index);
void                bk_meeting_set_participant_early  (BkMeeting           *self,
                                                       guint                index);
/* The start: releases the hold and dials every participant still to be
 * reached, all in parallel (k POSTs). When a poll round is under way it
 * goes right after it; BK_MEETING_ERROR_NOT_RUNNING without a call. A
 * participant whose dial failed keeps the sentence and is redialled by
 * the next poll, as after start. */
void                bk_meeting_dial_async             (BkMeeting           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            bk_meeting_dial_finish            (BkMeeting           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void                bk_meeting_end_async              (BkMeeting           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            bk_meeting_end_finish             (BkMeeting           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void                bk_meeting_poll_async             (BkMeeting           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            bk_meeting_poll_finish            (BkMeeting           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* The Redial action: a participant who is UNANSWERED or GONE (or not yet
 * reached) gets a fresh set of dial attempts; the next poll calls them,
 * also before the start while the dial is held (the early join: the call
 * exists, and whoever asks for a redial wants it now). */
void                bk_meeting_redial                 (BkMeeting           *self,
                                                       guint                index);

/* Polls every @interval_ms while the meeting runs (0 stops). A round is
 * skipped while another operation is under way. When
 * BK_MEETING_LOST_AFTER_POLLS rounds in a row get no answer at all from
 * the node (bk_meeting_error_is_no_answer, or nothing back within the poll
 * deadline, bk_meeting_set_poll_deadline), "node-lost" is emitted, and
 * again after every further BK_MEETING_LOST_AFTER_POLLS such rounds; the
 * watch goes on. */
void                bk_meeting_watch                  (BkMeeting           *self,
                                                       guint                interval_ms);

/* One poll round now (dialling whoever is to be called: a participant just
 * added or redialled), or right after the operation under way. Nothing
 * when the meeting does not run. */
void                bk_meeting_refresh                (BkMeeting           *self);

/* Add Participant, while the meeting runs: a new participant (INITIAL,
 * dialled by the next poll: call bk_meeting_refresh() to dial now; also
 * before the start while the dial is held: not held until the start), or,
 * when @uri is already a participant, a redial of that one. Returns its
 * index. "n-participants" is notified when one is added. The caller
 * validates @uri (bk_participant_validate_address()). */
guint               bk_meeting_add_participant        (BkMeeting           *self,
                                                       const char          *uri);

/* Drop: DELETE /callLegs/<leg> of that participant, who is GONE at once
 * (and not called again until bk_meeting_redial()). A participant without
 * a leg is only no longer called. On failure the participant is back as
 * they were, and the error is a sentence. Independent of the one
 * operation at a time of start/end/poll. */
void                bk_meeting_drop_async             (BkMeeting           *self,
                                                       guint                index,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            bk_meeting_drop_finish            (BkMeeting           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
